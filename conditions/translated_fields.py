"""Per-field translation (django-modeltranslation) of every reader-visible text."""

from modeltranslation.translator import TranslationOptions, register

from .models import Category, Condition, Disclaimer, Image, Section


@register(Condition)
class ConditionTranslationOptions(TranslationOptions):
    fields = ("title", "slug", "also_called", "summary")


@register(Section)
class SectionTranslationOptions(TranslationOptions):
    fields = ("heading", "body")


@register(Image)
class ImageTranslationOptions(TranslationOptions):
    fields = ("alt_text", "caption")


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name", "slug")


@register(Disclaimer)
class DisclaimerTranslationOptions(TranslationOptions):
    fields = ("text",)
