"""Run inside a restored install (``python -m tests.backup.inspect_site URL… --evidence PK:USERNAME``): prints, as
JSON, each public page's HTML and each evidence file's SHA-256 as the given person downloads it."""

import hashlib
import json
import sys

import django


def main(arguments: list[str]) -> dict:
    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    pages, evidence = {}, {}
    client = Client()
    for argument in arguments:
        if ":" not in argument:
            response = client.get(argument)
            pages[argument] = {"status": response.status_code, "html": response.content.decode()}
            continue
        target, username = argument.split(":", 1)
        client.force_login(get_user_model().objects.get(username=username))
        response = client.get(target)
        body = b"".join(response.streaming_content) if response.status_code == 200 else b""
        evidence[argument] = {"status": response.status_code, "sha256": hashlib.sha256(body).hexdigest()}
        client.logout()
    return {"pages": pages, "files": evidence}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
