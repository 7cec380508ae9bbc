#include "core/identity/names.h"

#include <QString>

namespace cairn::identity::names {

namespace {

bool isUsernameChar(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9') || u == u'.' || u == u'_' || u == u'-';
}

bool isAlnum(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9');
}

} // namespace

Result<void> validateUsername(QStringView username)
{
    if (username.isEmpty() || username.size() > kMaxUsernameLength)
        return base::fail(IdentityError::InvalidField,
            QStringLiteral("a username is 1 to %1 characters, got %2").arg(kMaxUsernameLength).arg(username.size()));
    for (QChar c : username) {
        if (!isUsernameChar(c))
            return base::fail(
                IdentityError::InvalidField, QStringLiteral("a username may contain only a-z, 0-9, '.', '_' and '-'"));
    }
    if (!isAlnum(username.front()))
        return base::fail(IdentityError::InvalidField, QStringLiteral("a username starts with a letter or digit"));
    return {};
}

Result<void> validateGroupName(QStringView groupName)
{
    if (groupName.isEmpty() || groupName.size() > kMaxGroupNameUnits)
        return base::fail(
            IdentityError::InvalidField, QStringLiteral("a group name is 1 to %1 characters").arg(kMaxGroupNameLength));
    const QList<uint> codePoints = groupName.toUcs4();
    if (codePoints.size() > kMaxGroupNameLength)
        return base::fail(
            IdentityError::InvalidField, QStringLiteral("a group name is 1 to %1 characters").arg(kMaxGroupNameLength));
    for (uint cp : codePoints) {
        // toUcs4 turns a lone surrogate into U+FFFD; a well-formed name never has one.
        if (!QChar::isPrint(char32_t(cp)) || cp == 0xFFFD)
            return base::fail(IdentityError::InvalidField,
                QStringLiteral("a group name contains a control or unassigned character (U+%1)")
                    .arg(cp, 4, 16, QLatin1Char('0')));
    }
    if (QChar::isSpace(char32_t(codePoints.front())) || QChar::isSpace(char32_t(codePoints.back())))
        return base::fail(
            IdentityError::InvalidField, QStringLiteral("a group name does not start or end with white space"));
    // Two spellings of one name would look the same and sign differently.
    const QString s = groupName.toString();
    if (s.normalized(QString::NormalizationForm_C) != s)
        return base::fail(IdentityError::InvalidField, QStringLiteral("a group name must be in Unicode NFC"));
    return {};
}

Result<void> validateGroupId(QByteArrayView groupId)
{
    if (groupId.size() != kGroupIdBytes)
        return base::fail(IdentityError::InvalidField,
            QStringLiteral("a group id is %1 bytes, got %2").arg(kGroupIdBytes).arg(groupId.size()));
    return {};
}

} // namespace cairn::identity::names
