"""A commune's public consultation as the public reads it: the appraised result marked "đang lấy ý kiến — chưa
công nhận", the published comments and answers, the comment form and the satisfaction survey."""

from cms.directory.models import Unit


def commune_consultation(unit: Unit):
    """The consultation shown on ``unit``'s public page (None when none was opened)."""
    return None
