#pragma once

#include "core/base/rng.h"
#include "core/mail/error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace cairn::mail {

/// What a mail is. Mail and FileDrop travel; Notice is a local system
/// message in the mailbox and never leaves this device (the encoder refuses
/// it, the decoder never returns it).
enum class MailKind : quint8 {
    Mail = 0,
    FileDrop = 1,
    Notice = 2,
};

/// One line of a message's attachment list, for display before the
/// manifest is fetched: a relative path and its size in bytes.
struct AttachmentSummary {
    QString name;
    qint64 size = 0;
    friend bool operator==(const AttachmentSummary &, const AttachmentSummary &) = default;
};

/// The message a sender signs (inside a crypto::Envelope): a canonical CBOR
/// map, docs/protocol.md "Mail message". The mail part does not look inside
/// the attachment manifest bytes; the transfer part does. The whole encoding
/// stays within kMaxEncoded so the envelope sealed to 64 devices fits one
/// 64 KiB DHT blob.
struct MailMessage {
    static constexpr qint64 kVersion = 1;
    static constexpr qsizetype kIdBytes = 16;
    static constexpr qsizetype kMaxRecipients = 64;
    static constexpr qsizetype kMaxSubjectBytes = 1000; // UTF-8
    static constexpr qsizetype kMaxBodyBytes = 32 * 1024; // UTF-8
    static constexpr qsizetype kMaxAttachmentsBytes = 24 * 1024; // an encoded transfer::Manifest
    static constexpr qsizetype kMaxStreamRefBytes = 4 * 1024; // an encoded transfer::StreamRef
    static constexpr qsizetype kMaxSummaryEntries = 10'000;
    static constexpr qsizetype kMaxSummaryNameBytes = 1024; // UTF-8
    /// Sizes stay below 2^53 so they survive JSON numbers in the control API.
    static constexpr qint64 kMaxSummarySize = (qint64(1) << 53) - 1;
    /// Milliseconds; the latest time any Cairn format accepts (9999-12-31).
    static constexpr qint64 kMaxSentAt = 253402300799LL * 1000 + 999;
    static constexpr qsizetype kMaxEncoded = 48 * 1024;

    QByteArray id; // kIdBytes random bytes (newId)
    QString from; // the sender's username
    QStringList to; // 1..kMaxRecipients distinct usernames
    qint64 sentAt = 0; // unix milliseconds
    QString subject;
    QString body;
    MailKind kind = MailKind::Mail;
    QByteArray attachments; // opaque encoded manifest; empty: none
    QByteArray attachmentsStream; // opaque encoded stream reference to a large manifest; empty: none
    QList<AttachmentSummary> summary; // empty: none

    friend bool operator==(const MailMessage &, const MailMessage &) = default;

    static QByteArray newId(base::Rng &rng);

    /// Checks every rule and encodes canonically. TooLarge for a field or a
    /// whole message over its limit (the message says which and the limit),
    /// InvalidField for anything else that breaks a rule.
    Result<QByteArray> encode() const;
    /// Strict decode: canonical CBOR of at most kMaxEncoded bytes, version 1,
    /// no unknown keys, exact types and every rule encode() checks.
    /// Malformed, TooLarge or UnsupportedVersion; never asserts.
    static Result<MailMessage> decode(QByteArrayView bytes);
};

} // namespace cairn::mail
