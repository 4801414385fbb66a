"""Known-but-not-indexed parts of a Google Takeout export.

This connector reads nothing (``recognise`` is always 0). Its ``known_ignored`` names the
product of files in Takeout product folders that no connector reads (Fit, Drive, Photos,
Pay, Home App, Profile, …), so they are reported as "ignored: <product>" rather than
"unrecognised". It only answers for paths clearly inside a Takeout tree: the folder right
below a ``Takeout/`` component, or a known product folder at the top of the watched path.

Folders read (fully or partly) by other connectors are deliberately absent, so their own
connectors give the specific reason: ``Chrome``, ``YouTube…``, ``My Activity`` (any
language), ``Maps``, ``Maps (your places)``, ``Saved``, ``Google Play Store``, and the
mail, calendar, contacts, Keep and location products (``Mail``/``Gmail``, ``Calendar``/
``Kalender``, ``Contacts``/``Google Kontakte``, ``Keep``, ``Location History…``,
``Timeline``).
"""

from __future__ import annotations

from collections.abc import Iterator

from connectors.base import ExportFile, ParseError, ParseIssue, Record

NAME = "google.takeout_misc"

#: Takeout product folders (lower-case, NBSP folded, English and German names) -> the
#: product's English name used in the reason.
PRODUCT_FOLDERS: dict[str, str] = {
    "access log activity": "Access Log Activity",
    "zugriffsprotokollaktivitäten": "Access Log Activity",
    "alerts": "Google Alerts",
    "android device configuration service": "Android Device Configuration Service",
    "android-gerätekonfigurationsdienst": "Android Device Configuration Service",
    "arts & culture": "Arts & Culture",
    "arts _ culture": "Arts & Culture",
    "assistant notes and lists": "Assistant Notes and Lists",
    "blogger": "Blogger",
    "business messages": "Business Messages",
    "classroom": "Google Classroom",
    "cloud print": "Cloud Print",
    "crisis user reports": "Crisis User Reports",
    "discover": "Discover",
    "drive": "Google Drive",
    "fit": "Google Fit",
    "google fit": "Google Fit",
    "google account": "Google Account",
    "google-konto": "Google Account",
    "google business profile": "Google Business Profile",
    "google unternehmensprofil": "Google Business Profile",
    "google my business": "Google My Business",
    "google chat": "Google Chat",
    "hangouts": "Hangouts",
    "google developers": "Google Developers",
    "google earth": "Google Earth",
    "google feedback": "Google Feedback",
    "google finance": "Google Finance",
    "google finanzen": "Google Finance",
    "google help communities": "Google Help Communities",
    "google-hilfe-communities": "Google Help Communities",
    "google meet": "Google Meet",
    "google news": "Google News",
    "news": "Google News",
    "google one": "Google One",
    "google pay": "Google Pay",
    "google wallet": "Google Wallet",
    "google photos": "Google Photos",
    "google fotos": "Google Photos",
    "google play books": "Google Play Books",
    "google play bücher": "Google Play Books",
    "google play games services": "Google Play Games Services",
    "google play-spieldienste": "Google Play Games Services",
    "google play movies & tv": "Google Play Movies & TV",
    "google play movies _ tv": "Google Play Movies & TV",
    "google play filme _ serien": "Google Play Movies & TV",
    "google tv": "Google TV",
    "google podcasts": "Google Podcasts",
    "google shopping": "Google Shopping",
    "shopping lists": "Shopping Lists",
    "google store": "Google Store",
    "google translator toolkit": "Google Translator Toolkit",
    "google workspace marketplace": "Google Workspace Marketplace",
    "groups": "Google Groups",
    "home app": "Google Home",
    "google home": "Google Home",
    "nest": "Nest",
    "my maps": "My Maps",
    "pinpoint": "Pinpoint",
    "posts on google": "Posts on Google",
    "profile": "Google Profile",
    "profil": "Google Profile",
    "purchases & reservations": "Purchases & Reservations",
    "purchases _ reservations": "Purchases & Reservations",
    "recorder": "Recorder",
    "reminders": "Reminders",
    "search contributions": "Search Contributions",
    "street view": "Street View",
    "tasks": "Google Tasks",
    "aufgaben": "Google Tasks",
    "voice": "Google Voice",
    "gemini": "Gemini",
    "google lens": "Google Lens",
    "google store-bestellungen": "Google Store",
}


def product_of(file: ExportFile) -> str | None:
    """The English product name of a file in a known Takeout product folder, else None."""
    parts = file.relpath.split("/")
    folders = parts[:-1]
    for i, part in enumerate(folders):
        if part.casefold() == "takeout":
            if i + 1 < len(folders):
                return PRODUCT_FOLDERS.get(folders[i + 1].casefold())
            return None
    if folders:
        return PRODUCT_FOLDERS.get(folders[0].casefold())
    return None


class TakeoutKnownFiles:
    """Gives a reason for the Takeout products that no connector reads."""

    name = NAME
    description = "Google Takeout: products known and not indexed (Fit, Drive, Photos, …)"

    def recognise(self, file: ExportFile) -> float:
        """Never: this connector only explains what is not indexed."""
        return 0.0

    def known_ignored(self, file: ExportFile) -> str | None:
        """ "<Product> (Google Takeout): not indexed" for files in a known product folder."""
        product = product_of(file)
        return f"{product} (Google Takeout): not indexed" if product else None

    def parse(self, file: ExportFile) -> Iterator[Record | ParseIssue]:
        """Not a reader."""
        raise ParseError("Google Takeout file known but not indexed")


CONNECTORS = [TakeoutKnownFiles()]
