"""StreamField blocks of the public pages: what editors add to a commune page (text, photos, documents)."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class FigureBlock(blocks.StructBlock):
    """A photo with its alternative text (or marked decorative) and an optional caption."""

    image = ImageBlock(label=_("ảnh"))
    caption = blocks.CharBlock(label=_("chú thích"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Ảnh")
        template = "public_site/blocks/figure.html"


class DocumentLinkBlock(blocks.StructBlock):
    """A link to a public document (a decision, a report) kept in Wagtail's document library."""

    document = DocumentChooserBlock(label=_("tài liệu"))
    title = blocks.CharBlock(
        label=_("tiêu đề hiển thị"), required=False, max_length=255, help_text=_("Bỏ trống để dùng tên tài liệu.")
    )
    description = blocks.TextBlock(label=_("mô tả"), required=False, max_length=500)

    class Meta:
        icon = "doc-full"
        label = _("Tài liệu")
        template = "public_site/blocks/document_link.html"
        preview_value = {"title": "Quyết định công nhận xã đạt chuẩn nông thôn mới", "description": ""}


class CommuneBodyBlock(blocks.StreamBlock):
    """The editor's part of a commune page, shown above the published results."""

    text = blocks.RichTextBlock(
        label=_("Văn bản"),
        icon="pilcrow",
        features=RICH_TEXT_FEATURES,
        template="public_site/blocks/text.html",
        preview_value="<p>Xã đã hoàn thành cứng hóa đường trục thôn trong năm 2026.</p>",
    )
    figure = FigureBlock()
    document = DocumentLinkBlock()
