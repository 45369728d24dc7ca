"""Test-side API for making "users" talk to the bot: each ``inject_*`` queues one update."""

from __future__ import annotations

import threading
import time
from typing import Any

from . import updates
from .faults import ALL_BUT_POLLING, FaultAnswer, FaultKind, FaultPlan, FaultWindow
from .state import BotState

JSON = dict[str, Any]


class InjectionMixin:
    """``inject_*``, ``block_user`` and friends; mixed into :class:`~.core.StandinCore`."""

    _lock: threading.RLock
    _state: BotState
    _fault_plan: FaultPlan

    def _updates_changed(self) -> None:
        """Hook: wake long polls / the webhook deliverer (the server overrides this)."""

    def inject_update(self, update: JSON) -> int:
        """Queue a raw update (without ``update_id``); returns the assigned update_id."""
        with self._lock:
            update_id = self._state.enqueue(update)
        self._updates_changed()
        return update_id

    def _user_message(
        self,
        user_id: int,
        content: JSON,
        *,
        first_name: str | None = None,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        with self._lock:
            sender = self._state.known_user(user_id, first_name)
            chat = self._injection_chat(user_id, chat_id, chat_type)
            msg = updates.message(self._state.next_message_id(chat["id"]), chat, sender, **content)
            self._state.store(msg)
        return self.inject_update({"message": msg})

    def _injection_chat(self, user_id: int, chat_id: int | None, chat_type: str) -> JSON:
        if chat_id is None or chat_id == user_id:
            if chat_type != "private":
                raise ValueError("a group message needs chat_id (a negative group id)")
            return self._state.chats[user_id]
        if chat_type == "private":
            raise ValueError("chat_id differs from user_id: pass chat_type='group'/'supergroup'")
        return self._state.chats.setdefault(
            chat_id, updates.group_chat(chat_id, chat_type=chat_type)
        )

    def inject_message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str | None = None,
        entities: list[JSON] | None = None,
        forwarded_from: int | None = None,
    ) -> int:
        """A text message from ``user_id`` (a leading /command gets its bot_command entity).

        ``first_name`` renames the user; by default the known name (or "Test") is kept.
        ``forwarded_from``: the user forwarded a message that user wrote (``forward_origin``).
        """
        content = updates.text_content(text, entities)
        if forwarded_from is not None:
            content["forward_origin"] = updates.forward_origin(forwarded_from)
        return self._user_message(
            user_id, content, first_name=first_name, chat_id=chat_id, chat_type=chat_type
        )

    def inject_command(self, user_id: int, command: str, **kwargs: Any) -> int:
        """A command such as ``"/start abc"``; same keywords as :meth:`inject_message`."""
        if not command.startswith("/"):
            raise ValueError(f"not a command: {command!r}")
        return self.inject_message(user_id, command, **kwargs)

    def inject_group_message(
        self,
        user_id: int,
        group_id: int,
        text: str,
        *,
        mention_bot: bool = False,
        chat_type: str = "group",
        first_name: str | None = None,
    ) -> int:
        """A message in a group; ``mention_bot`` prefixes ``@botname`` with a mention entity."""
        entities: list[JSON] | None = None
        if mention_bot:
            mention = f"@{self._state.bot_user['username']}"
            text = f"{mention} {text}"
            entities = [{"type": "mention", "offset": 0, "length": len(mention)}]
        return self.inject_message(
            user_id,
            text,
            chat_id=group_id,
            chat_type=chat_type,
            first_name=first_name,
            entities=entities,
        )

    def inject_sticker(self, user_id: int) -> int:
        """A sticker in the private chat."""
        return self._user_message(user_id, updates.sticker_content(self._serial()))

    def inject_photo(self, user_id: int, caption: str | None = None) -> int:
        """A photo (two sizes) in the private chat."""
        return self._user_message(user_id, updates.photo_content(self._serial(), caption))

    def inject_voice(self, user_id: int) -> int:
        """A voice note in the private chat."""
        return self._user_message(user_id, updates.voice_content(self._serial()))

    def inject_document(self, user_id: int, file_name: str = "datei.pdf") -> int:
        """A document in the private chat."""
        return self._user_message(user_id, updates.document_content(self._serial(), file_name))

    def _serial(self) -> int:
        with self._lock:
            return self._state.serial()

    def inject_edited_message(
        self, user_id: int, text: str, *, message_id: int | None = None
    ) -> int:
        """The user edits their last (or the given) text message in the private chat."""
        with self._lock:
            original = self._user_text_message(user_id, message_id)
            edited = {k: v for k, v in original.items() if k not in ("text", "entities")}
            edited.update(updates.text_content(text), edit_date=updates.now())
            self._state.store(edited)
        return self.inject_update({"edited_message": edited})

    def _user_text_message(self, user_id: int, message_id: int | None) -> JSON:
        candidates = [
            stored.payload
            for (chat_id, mid), stored in self._state.messages.items()
            if chat_id == user_id
            and stored.sent is None
            and "text" in stored.payload
            and (message_id is None or mid == message_id)
        ]
        if not candidates:
            raise ValueError(f"user {user_id} has no text message to edit")
        return max(candidates, key=lambda m: int(m["message_id"]))

    def inject_callback(
        self,
        user_id: int,
        data: str,
        *,
        message_id: int | None = None,
        chat_id: int | None = None,
        check_button: bool = True,
        pressed_ago: float = 0.0,
    ) -> int:
        """The user presses an inline button of a bot message in their chat (or ``chat_id``).

        Without ``message_id`` the newest live bot message offering ``data`` is used.  With
        ``check_button`` the message must offer a button with this callback_data (pass False to
        simulate stale or forged data).  The query id must be answered once, within 15 s of
        the press; ``pressed_ago`` dates the press back (a backlog after a restart).
        """
        target = user_id if chat_id is None else chat_id
        with self._lock:
            msg = self._button_message(target, data, message_id, check_button)
            sender = self._state.known_user(user_id)
            query_id = f"{self._state.serial()}{user_id}"
            self._state.open_query(query_id, user_id, pressed_ago)
            query = updates.callback_query(query_id, sender, dict(msg), data)
        return self.inject_update({"callback_query": query})

    def _button_message(
        self, chat_id: int, data: str, message_id: int | None, check_button: bool
    ) -> JSON:
        live = [m for m in self._state.sent_messages(chat_id) if not m.deleted]
        if message_id is not None:
            live = [m for m in live if m.message_id == message_id]
        offering = [m for m in live if data in m.callback_data]
        chosen = offering or ([] if check_button else live)
        if not chosen:
            buttons = {m.message_id: m.callback_data for m in live}
            raise ValueError(f"no bot message in chat {chat_id} offers {data!r}; have {buttons}")
        return self._state.messages[(chat_id, chosen[-1].message_id)].payload

    def block_user(self, user_id: int, *, notify: bool = False) -> None:
        """Sends to this user now fail with 403; ``notify`` queues the my_chat_member update."""
        with self._lock:
            self._state.known_user(user_id)
            self._state.blocked.add(user_id)
        if notify:
            self._member_update(user_id, old="member", new="kicked")

    def unblock_user(self, user_id: int, *, notify: bool = False) -> None:
        """Undo :meth:`block_user`."""
        with self._lock:
            self._state.blocked.discard(user_id)
        if notify:
            self._member_update(user_id, old="kicked", new="member")

    def _member_update(self, user_id: int, *, old: str, new: str) -> None:
        with self._lock:
            sender = self._state.known_user(user_id)
            chat = self._state.chats[user_id]
            bot = self._state.bot_user
        self.inject_update(
            {"my_chat_member": updates.my_chat_member(chat, sender, bot, old=old, new=new)}
        )

    # -- scripted outages ------------------------------------------------------------------

    def inject_fault(
        self,
        kind: FaultKind,
        seconds: float,
        *,
        after: float = 0.0,
        methods: frozenset[str] = ALL_BUT_POLLING,
        status: int = 502,
        retry_after: int = 1,
        hold: float = 30.0,
    ) -> None:
        """For ``seconds`` (starting ``after`` seconds from now) calls fail as ``kind``.

        ``server_error``: ``status`` (5xx) with a JSON error; ``garbage``: 200 with an HTML body;
        ``timeout``: no answer for ``hold`` seconds, then 504; ``rate_storm``: 429 with
        ``retry_after``. getUpdates is spared unless named in ``methods``. A faulted call is
        recorded in :attr:`sent` with its status but has no effect.
        """
        start = time.monotonic() + after
        window = FaultWindow(kind, start, start + seconds, methods, status, retry_after, hold)
        with self._lock:
            self._fault_plan.add(window)

    def migrate_chat(self, chat_id: int, new_chat_id: int) -> None:
        """Sends to ``chat_id`` now fail with 400 and ``parameters.migrate_to_chat_id``.

        The new (supergroup) chat becomes known, so sends to ``new_chat_id`` succeed.
        """
        with self._lock:
            self._state.chats.setdefault(
                new_chat_id, updates.group_chat(new_chat_id, chat_type="supergroup")
            )
            self._fault_plan.migrated[chat_id] = new_chat_id

    def faults_pending(self) -> bool:
        """Whether a scripted fault window is running or still to come."""
        with self._lock:
            return self._fault_plan.active(time.monotonic())

    def fault_answer(self, method: str, chat_id: object) -> FaultAnswer | None:
        """The scripted fault for a call arriving now (used by the HTTP front)."""
        with self._lock:
            return self._fault_plan.answer(method, chat_id, time.monotonic())
