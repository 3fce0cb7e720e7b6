"""OCOP: producers' dossiers scored blind by councils, recognised by decisions, certified for a validity period.

The one engine serves it: a product round is a round whose set version has level "Sản phẩm"; a dossier is a
``Submission`` with a ``product`` (its ``unit`` is the producer's commune, the scope every access rule already
uses). This package adds what units never had: councils and their members' score sheets (``models``,
``scoring``), recognition decisions and certificates (``certificates``).
"""
