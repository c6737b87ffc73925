"""The layout rules of docs/architecture.md, checked on the import graph.

- models import no service module (only other models and the field types:
  fields, uploads);
- no two modules import each other, directly or through others;
- each package imports only packages of its own layer or lower ones;
- the public side (the library app) reads the read model (conditions.models)
  only, and the editorial side never imports the public side.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = [ROOT / "conditions", ROOT / "library"]

#: Lower layers first; a package may import its own layer and those below.
LAYERS = [
    {"models", "fields", "uploads", "languages", "roles", "translated_fields"},
    {"versioning", "readability"},
    {"translations", "diff", "evidence"},
    {"publishing"},
    {"workflow"},
    {"xliff", "importing"},
    {"admin", "templatetags", "management", "demo"},
]
#: Where everything is wired together (signals): may import any layer.
COMPOSITION_ROOT = {"apps"}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    return {
        _module_name(path): path
        for app in APPS
        for path in app.rglob("*.py")
        if "migrations" not in path.parts
    }


def _imports(name, path, modules):
    """Return the project modules a module names in its import statements."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                base = ".".join(base + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # "from package import module" names the module itself.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in modules and t != name)
    return found


def graph():
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def _app(module):
    return module.split(".")[0]


def _package(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _layer(package):
    for number, layer in enumerate(LAYERS):
        if package in layer:
            return number
    raise AssertionError(f"conditions.{package} is in no layer of the rules")


def editorial():
    return {m: imported for m, imported in graph().items() if _app(m) == "conditions"}


def test_every_package_has_a_layer():
    for module in editorial():
        package = _package(module)
        if package and package not in COMPOSITION_ROOT:
            _layer(package)


def test_models_import_no_service_module():
    for module, imported in editorial().items():
        if _package(module) == "models":
            services = {
                m
                for m in imported
                if _package(m) not in ("models", "fields", "uploads")
            }
            assert not services, f"{module} imports {sorted(services)}"


def test_packages_import_only_their_layer_and_lower_ones():
    for module, imported in editorial().items():
        package = _package(module)
        if not package or package in COMPOSITION_ROOT:
            continue
        for target in imported:
            assert _app(target) == "conditions", f"{module} imports {target}"
            if _package(target) in ("", *COMPOSITION_ROOT):
                continue
            assert _layer(_package(target)) <= _layer(package), (
                f"{module} (layer {_layer(package)}) imports {target} "
                f"(layer {_layer(_package(target))})"
            )


def test_no_two_modules_import_each_other():
    edges = graph()
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    assert cycles == []


def test_the_public_side_reads_the_read_model_only():
    for module, imported in graph().items():
        if _app(module) != "library":
            continue
        editorial_side = {
            m for m in imported if _app(m) == "conditions" and _package(m) != "models"
        }
        assert not editorial_side, f"{module} imports {sorted(editorial_side)}"
