"""The one composition root: settings in, database, NLU, features and engine out.

Both adapters (Telegram, terminal), the CLI, the benches and the tests' fixtures build the bot here.
"""
