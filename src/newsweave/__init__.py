"""newsweave: what many news reports of the same events, taken together, say."""
from newsweave.api import Newsweave
from newsweave.options import Options
from newsweave.records import Article, CopyLink, InputError, RawDocument, Story

__version__ = "0.1.0"
__all__ = ["Article", "CopyLink", "InputError", "Newsweave", "Options", "RawDocument", "Story", "__version__"]
