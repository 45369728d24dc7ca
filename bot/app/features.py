"""Which features the engine runs with: the one list every adapter shares."""

from __future__ import annotations

from dataclasses import dataclass

from bot.dialogue.feature import Feature
from bot.dialogue.texts import Texts
from bot.features.admin.feature import AdminFeature
from bot.features.check.flow import build_check_feature
from bot.features.editorial.feature import EditorialFeature
from bot.features.editorial.gaps import GapContent, GapsFeature
from bot.features.events.feature import build_events_feature
from bot.features.funding.feature import build_funding_feature
from bot.features.identity.feature import IdentityFeature
from bot.features.privacy.export import ExportLabels
from bot.features.privacy.feature import PrivacyFeature, PrivacyPolicy
from bot.settings import Settings
from bot.stores.bundle import Stores
from bot.stores.check import DatabaseCheckStore
from bot.stores.events import DatabaseEventStore
from bot.stores.funding import DatabaseFundingStore
from bot.stores.gaps import DatabaseGapStore
from knowledge.check.model import load_questionnaire
from storage.db import Database


@dataclass(frozen=True)
class FeatureContext:
    """Everything a feature may need at construction."""

    settings: Settings
    database: Database
    stores: Stores
    texts: Texts
    content: GapContent


def build_features(context: FeatureContext) -> tuple[Feature, ...]:
    """The features in routing order (earlier ones see free text first)."""
    radar = DatabaseFundingStore(context.database)
    gaps = DatabaseGapStore(context.database, context.stores.questions.flush)
    zone = context.settings.zone
    return (
        PrivacyFeature(context.stores.user_data, context.texts, privacy_policy(context)),
        AdminFeature(context.stores.stats, context.texts, lambda: context.content.entries, zone),
        EditorialFeature(context.content, context.texts),
        GapsFeature(gaps, context.content, context.texts),
        build_events_feature(
            DatabaseEventStore(context.database), context.texts, zone, radar.unsubscribe
        ),
        build_funding_feature(radar, context.texts, zone),
        build_check_feature(DatabaseCheckStore(context.database), context.texts),
        IdentityFeature(context.texts),
    )


def privacy_policy(context: FeatureContext) -> PrivacyPolicy:
    """What /datenschutz states, from the settings, and the export's labels."""
    settings = context.settings
    labels = ExportLabels(load_questionnaire(), settings.zone, context.texts)
    return PrivacyPolicy(
        settings.question_retention_days,
        settings.backup_keep_days + 1,  # a dump a day, kept BACKUP_KEEP_DAYS
        settings.privacy_controller,
        labels,
    )
