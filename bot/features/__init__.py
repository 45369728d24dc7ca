"""The features, one package each: what the user can do, with its ports, texts and rendering.

A feature implements ``bot.dialogue.feature.Feature`` and is plugged in by ``bot.app``. Features
import the dialogue core (``bot.dialogue``), ``knowledge`` and ``nlu``; never ``storage``,
SQLAlchemy or Telegram (their ports are Protocols, implemented in ``bot.stores``). One feature
uses another only through what that package's ``__init__`` names.
"""
