"""The project's own exceptions.

Every failure a user can cause with a bad file is one of these, so the CLI can
turn it into a single line ``error: <file>: <reason>`` and carry on with the
rest of the batch. Anything else escaping the pipeline is a bug.
"""

from __future__ import annotations


class IngestError(Exception):
    """A file could not be turned into a policy record."""

    def __init__(self, reason: str, path: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path

    def line(self) -> str:
        """The one line the CLI prints for this failure."""
        return f"error: {self.path}: {self.reason}" if self.path else f"error: {self.reason}"


class EmptyInput(IngestError):
    """The file has no bytes, or no text once decoded."""


class UnreadableInput(IngestError):
    """The bytes are not text in any encoding we detect, or the file is damaged."""


class UnsupportedFormat(IngestError):
    """The file's real type is not one the pipeline reads."""


class EncryptedInput(IngestError):
    """The file is password protected."""


class TooLarge(IngestError):
    """The file is larger than any notice; refused without reading it."""


class NotANotice(IngestError):
    """The text says nothing about professional-title evaluation."""


class MissingTool(IngestError):
    """A system program needed for this format (e.g. LibreOffice) is not installed."""


class RecordInvalid(IngestError):
    """The assembled record broke the JSON Schema: a pipeline bug, reported per file."""
