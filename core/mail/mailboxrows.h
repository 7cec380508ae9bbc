#pragma once

// Internal to core/mail: how a MailRecord maps onto the mailbox's rows.

#include "core/mail/mailbox.h"

#include <QSqlQuery>

namespace cairn::mail::detail {

/// The mails columns every read selects, in the order readMail() expects.
extern const QLatin1String kMailColumns;
/// The attachments columns, in the order readAttachment() expects.
extern const QLatin1String kAttachmentColumns;

/// The current row of a query over kMailColumns (attachments not filled).
/// Corrupt if a stored enum value is out of range.
Result<MailRecord> readMail(const QSqlQuery &q);
Result<AttachmentRecord> readAttachment(const QSqlQuery &q);

/// Every remaining row of `q`, each read by `read`; the first error stops.
template <typename T> Result<QList<T>> readAll(QSqlQuery &q, Result<T> (*read)(const QSqlQuery &))
{
    QList<T> out;
    while (q.next()) {
        auto row = read(q);
        if (!row.ok())
            return row.error();
        out.append(std::move(row).value());
    }
    return out;
}

QString recipientsToJson(const QStringList &to);
QStringList recipientsFromJson(const QString &json);

} // namespace cairn::mail::detail
