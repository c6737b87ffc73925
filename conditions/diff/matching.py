"""Word-level matching of two token sequences, fast on long texts.

``opcodes(a, b)`` returns what ``difflib.SequenceMatcher(None, a, b,
autojunk=False).get_opcodes()`` returns: ``(tag, i1, i2, j1, j2)`` tuples,
tags ``equal``/``replace``/``delete``/``insert``, contiguous and covering
both sequences, adjacent equal runs merged. Tokens are any hashable values
(words, punctuation, whitespace runs, ``Tag`` tuples).

SequenceMatcher compares every token with every equal token of the other
side, and a whitespace token is every other token of a text, so its time
grows with the square of the length (or worse) and a 6,000-word field took
seconds. Here:

1. inputs of at most ``SEQUENCE_MATCHER_CELLS`` (len(a) * len(b), about
   500 x 500 tokens) go to SequenceMatcher as they are, so short fields
   diff exactly as before;
2. otherwise the common prefix and suffix are matched, and the tokens that
   occur exactly once on each side become candidate anchors (patience
   diff). The anchors kept are the chain in the same order on both sides
   that covers the most equal tokens (each anchor weighs the equal run it
   starts; a Fenwick tree makes it O(n log n)), so that when two passages
   swap places the longer one stays, as with SequenceMatcher; usually the
   candidates are all in order and are all kept;
3. the gaps between anchors are handled the same way (uniqueness counted
   again inside each gap), and a gap small enough goes to SequenceMatcher,
   so the words around an edit are matched as SequenceMatcher matches them;
4. a large gap with no unique common token (a rewritten stretch, repeated
   paragraphs) takes the longest common run that starts at a token occurring
   at most ``MAX_OCCURRENCES`` times in the gap (as in git's histogram diff),
   and the parts on either side of it are handled again; a large gap with
   no such run is one replacement;
5. after steps 2-4 (not after step 1), each pure insertion or deletion is
   slid along the equal tokens around it to start and end at a paragraph,
   tag or sentence boundary when it can (an inserted sentence reads
   "New sentence. ", not ". New sentence").

Whitespace tokens and tokens that are very frequent in either whole sequence
("the", commas, paragraph tags) never serve as anchors or start a run; they
are matched next to other matches and inside SequenceMatcher's gaps. So a
large gap whose common tokens are all very frequent (a synthetic text drawn
from a few dozen words, say) is one replacement; prose always has rarer
words. The result is deterministic: nothing depends on set or hash order.
"""

from collections import Counter
from difflib import SequenceMatcher

#: Inputs and gaps up to this many cells (len(a) * len(b)) are left to
#: SequenceMatcher: about 500 x 500 tokens, 15 to 30 ms.
SEQUENCE_MATCHER_CELLS = 250_000
#: A token found more often than this in a gap never starts a run in the
#: fallback for gaps without unique common tokens.
MAX_OCCURRENCES = 64
#: A token is "very frequent" (never an anchor) when it occurs more than
#: max(FREQUENT_MIN, len / FREQUENT_DIVISOR) times in either whole sequence.
FREQUENT_MIN = 8
FREQUENT_DIVISOR = 100


def opcodes(a, b, *, cells=SEQUENCE_MATCHER_CELLS):
    """Return SequenceMatcher-style opcodes turning ``a`` into ``b``.

    ``cells`` is the size (len(a) * len(b)) up to which an input or a gap is
    given to SequenceMatcher as it is.
    """
    a, b = list(a), list(b)
    return _blocks_to_opcodes(matching_blocks(a, b, cells=cells), len(a), len(b))


def matching_blocks(a, b, *, cells=SEQUENCE_MATCHER_CELLS):
    """Return the matching blocks ``(i, j, size)``, in order, adjacent ones
    merged, without SequenceMatcher's final ``(len(a), len(b), 0)``."""
    if len(a) * len(b) <= cells:
        return _sequence_matcher_blocks(a, b, 0, len(a), 0, len(b))
    blocked = _never_anchors(a, b)
    blocks = []
    # Work items, popped from the end: ("gap", alo, ahi, blo, bhi) or
    # ("block", i, j, size). Pushing right to left keeps the output ordered.
    stack = [("gap", 0, len(a), 0, len(b))]
    while stack:
        item = stack.pop()
        if item[0] == "block":
            blocks.append(item[1:])
            continue
        _kind, alo, ahi, blo, bhi = item
        start = alo
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            alo += 1
            blo += 1
        if alo > start:
            blocks.append((start, blo - (alo - start), alo - start))
        end = ahi
        while ahi > alo and bhi > blo and a[ahi - 1] == b[bhi - 1]:
            ahi -= 1
            bhi -= 1
        if end > ahi:
            stack.append(("block", ahi, bhi, end - ahi))
        if alo == ahi or blo == bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= cells:
            blocks.extend(_sequence_matcher_blocks(a, b, alo, ahi, blo, bhi))
            continue
        anchors = _patience_anchors(a, b, alo, ahi, blo, bhi, blocked)
        if anchors:
            stack.append(("gap", anchors[-1][0] + 1, ahi, anchors[-1][1] + 1, bhi))
            for index in range(len(anchors) - 1, 0, -1):
                i, j = anchors[index]
                stack.append(("block", i, j, 1))
                previous_i, previous_j = anchors[index - 1]
                stack.append(("gap", previous_i + 1, i, previous_j + 1, j))
            i, j = anchors[0]
            stack.append(("block", i, j, 1))
            stack.append(("gap", alo, i, blo, j))
            continue
        run = _longest_rare_run(a, b, alo, ahi, blo, bhi, blocked)
        if run is not None:
            i, j, size = run
            stack.append(("gap", i + size, ahi, j + size, bhi))
            stack.append(("block", i, j, size))
            stack.append(("gap", alo, i, blo, j))
        # Otherwise nothing worth matching: the gap is one replacement.
    return _slide(_merge(blocks), a, b)


def _never_anchors(a, b):
    """Whitespace tokens and tokens very frequent in either sequence."""
    blocked = set()
    for seq in (a, b):
        limit = max(FREQUENT_MIN, len(seq) // FREQUENT_DIVISOR)
        for token, count in Counter(seq).items():
            if count > limit or _is_space(token):
                blocked.add(token)
    return blocked


def _sequence_matcher_blocks(a, b, alo, ahi, blo, bhi):
    matcher = SequenceMatcher(None, a[alo:ahi], b[blo:bhi], autojunk=False)
    return [
        (alo + i, blo + j, size) for i, j, size in matcher.get_matching_blocks() if size
    ]


def _patience_anchors(a, b, alo, ahi, blo, bhi, blocked):
    """Return [(i, j)]: a chain, in the same order on both sides, of tokens
    that occur once in a[alo:ahi] and once in b[blo:bhi].

    Of the possible chains the one kept covers the most matching tokens (each
    anchor weighs the length of the equal run it starts), not merely the most
    anchors: when a paragraph moved, the longer of the two paragraphs that
    swapped places stays put, as with SequenceMatcher.
    """
    once_a = {}  # token -> its index, or -1 when it occurs again
    for i in range(alo, ahi):
        token = a[i]
        once_a[token] = -1 if token in once_a else i
    once_b = {}
    for j in range(blo, bhi):
        token = b[j]
        if token in once_a and token not in blocked:
            once_b[token] = -1 if token in once_b else j
    pairs = []
    for i in range(alo, ahi):
        j = once_b.get(a[i], -1)
        if j >= 0 and once_a[a[i]] == i:
            pairs.append((i, j))
    if all(pairs[n][1] < pairs[n + 1][1] for n in range(len(pairs) - 1)):
        return pairs  # all in order (also when empty): nothing moved
    weights = _run_weights(a, b, alo, ahi, blo, bhi, pairs)
    return _heaviest_chain(pairs, weights)


def _run_weights(a, b, alo, ahi, blo, bhi, pairs):
    """Weight of each anchor: the equal tokens from it up to the next anchor
    on the same diagonal, plus, for the first anchor of a run, the equal
    tokens just before it. Each matching token is counted once."""
    weights = [0] * len(pairs)
    next_on_diagonal = {}
    for n in range(len(pairs) - 1, -1, -1):
        i, j = pairs[n]
        stop = next_on_diagonal.get(i - j, ahi) - i
        k = 1
        while k < stop and i + k < ahi and j + k < bhi and a[i + k] == b[j + k]:
            k += 1
        next_on_diagonal[i - j] = i
        weights[n] = k
    previous_on_diagonal = {}
    for n, (i, j) in enumerate(pairs):
        stop = i - previous_on_diagonal.get(i - j, alo - 1)
        k = 1
        while k < stop and i - k >= alo and j - k >= blo and a[i - k] == b[j - k]:
            k += 1
        if k < stop:  # not the continuation of the previous anchor's run
            weights[n] += k - 1
        previous_on_diagonal[i - j] = i
    return weights


def _heaviest_chain(pairs, weights):
    """The chain of pairs, increasing in i and in j, of the largest total
    weight (pairs are sorted by i; all i and all j differ). A Fenwick tree
    over the ranks of j gives the best chain ending below a rank in
    O(log n); ties keep the chain found first."""
    rank = {j: r for r, j in enumerate(sorted(j for _i, j in pairs), start=1)}
    size = len(pairs)
    tree = [(0, -1)] * (size + 1)  # (total weight, index of the last pair)
    back = [-1] * size
    best = (0, -1)
    for n, (_i, j) in enumerate(pairs):
        r = rank[j] - 1
        previous = (0, -1)
        while r > 0:
            if tree[r][0] > previous[0]:
                previous = tree[r]
            r -= r & -r
        total = previous[0] + weights[n]
        back[n] = previous[1]
        if total > best[0]:
            best = (total, n)
        r = rank[j]
        while r <= size:
            if total > tree[r][0]:
                tree[r] = (total, n)
            r += r & -r
    chain = []
    n = best[1]
    while n >= 0:
        chain.append(pairs[n])
        n = back[n]
    chain.reverse()
    return chain


def _longest_rare_run(a, b, alo, ahi, blo, bhi, blocked):
    """Return (i, j, size): the longest common run through a token that
    occurs at most MAX_OCCURRENCES times in a[alo:ahi], or None.

    As in git's histogram diff, once a run is found the scan of b resumes
    after it, which bounds the work to about len(b) * MAX_OCCURRENCES plus
    the runs' lengths. Of runs of the same length, the one nearest the
    diagonal of the gap wins, then the one through the rarer token, then the
    first found.
    """
    where = {}
    for i in range(alo, ahi):
        token = a[i]
        if token not in blocked:
            where.setdefault(token, []).append(i)
    best = None
    best_key = (0, 0, 0)
    j = blo
    while j < bhi:
        next_j = j + 1
        positions = where.get(b[j])
        if positions is not None and len(positions) <= MAX_OCCURRENCES:
            for i in positions:
                si, sj = i, j
                while si > alo and sj > blo and a[si - 1] == b[sj - 1]:
                    si -= 1
                    sj -= 1
                ei, ej = i + 1, j + 1
                while ei < ahi and ej < bhi and a[ei] == b[ej]:
                    ei += 1
                    ej += 1
                next_j = max(next_j, ej)
                # Longest first; then nearest the diagonal of the gap (in a
                # repeated text, copies of a run are equally long); then
                # through the rarest token.
                off = (sj - blo) * (ahi - alo) - (si - alo) * (bhi - blo)
                key = (ei - si, -abs(off), -len(positions))
                if key > best_key:
                    best, best_key = (si, sj, ei - si), key
        j = next_j
    return best


def _merge(blocks):
    """Merge blocks that touch, as SequenceMatcher.get_matching_blocks does."""
    merged = []
    for i, j, size in blocks:
        if merged:
            mi, mj, msize = merged[-1]
            if mi + msize == i and mj + msize == j:
                merged[-1] = (mi, mj, msize + size)
                continue
        merged.append((i, j, size))
    return merged


#: Tokens that end a sentence (or introduce a list).
SENTENCE_END = (".", "!", "?", ":")


def _slide(blocks, a, b):
    """Move each pure insertion or deletion along the equal tokens around it
    to where its edges fall best: at a paragraph break or between two tags,
    next to a tag or a line break, at a sentence break, at a space, in that
    order of preference (ties keep the place found).

    Two blocks (i1, j1, s1) and (i2, j2, s2) around an insertion of
    b[p:q] can move their boundary one token left when b[p - 1] == b[q - 1],
    one right when b[p] == b[q] (likewise in a for a deletion); each block
    keeps at least one token, so the opcodes keep their number and tags.
    SequenceMatcher does not do this: an inserted sentence that begins with
    the word its neighbour begins with comes out as ". New sentence" rather
    than "New sentence. ", and a moved paragraph starts mid-sentence.
    """
    for k in range(len(blocks) - 1):
        i1, j1, s1 = blocks[k]
        i2, j2, s2 = blocks[k + 1]
        if i1 + s1 == i2:
            seq, p, q = b, j1 + s1, j2
        elif j1 + s1 == j2:
            seq, p, q = a, i1 + s1, i2
        else:
            continue
        left = 0
        while left < s1 - 1 and seq[p - left - 1] == seq[q - left - 1]:
            left += 1
        right = 0
        while right < s2 - 1 and seq[p + right] == seq[q + right]:
            right += 1
        if not left and not right:
            continue
        shift = max(
            range(-left, right + 1),
            key=lambda t: (
                _edge_score(seq, p + t)
                + _edge_score(seq, q + t)
                + (not _is_space(seq[p + t])),
                t == 0,
            ),
        )
        blocks[k] = (i1, j1, s1 + shift)
        blocks[k + 1] = (i2 + shift, j2 + shift, s2 - shift)
    return blocks


def _is_space(token):
    return isinstance(token, str) and token.isspace()


def _edge_score(seq, p):
    """How good a place the boundary between seq[p - 1] and seq[p] is for
    the edge of a change (0 < p < len(seq))."""
    x, y = seq[p - 1], seq[p]
    if any(_is_space(t) and t.count("\n") > 1 for t in (x, y)):
        return 5  # a paragraph break
    markup = (not isinstance(x, str)) + (not isinstance(y, str))
    if markup:
        return 3 + markup  # between two tags ("</p><p>"), or next to one
    if any(_is_space(t) and "\n" in t for t in (x, y)):
        return 4  # a line break
    if _is_space(x) and p > 1 and seq[p - 2] in SENTENCE_END:
        return 3  # the start of a sentence
    if x in SENTENCE_END and _is_space(y):
        return 3  # the end of a sentence
    if _is_space(x) or _is_space(y):
        return 2
    return 0


def _blocks_to_opcodes(blocks, len_a, len_b):
    """SequenceMatcher.get_opcodes() over the given matching blocks."""
    answer = []
    i = j = 0
    for ai, bj, size in [*blocks, (len_a, len_b, 0)]:
        if i < ai and j < bj:
            answer.append(("replace", i, ai, j, bj))
        elif i < ai:
            answer.append(("delete", i, ai, j, bj))
        elif j < bj:
            answer.append(("insert", i, ai, j, bj))
        i, j = ai + size, bj + size
        if size:
            answer.append(("equal", ai, i, bj, j))
    return answer
