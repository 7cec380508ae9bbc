#include "core/transfer/manifest.h"

#include <QCborArray>
#include <QCborMap>
#include <QSet>

namespace cairn::transfer {

namespace cbor = base::cbor;

namespace {

enum ManifestKey : qint64 { KeyFiles = 1 };
enum EntryKey : qint64 { KeyPath = 1, KeySize, KeyStream };

const QString kWhat = QStringLiteral("manifest");

// Items one entry can take besides its index hashes: the entry map, its
// three keys and values, the stream map with seven keys and values.
constexpr qsizetype kItemsPerEntry = 1 + 3 + 2 + 1 + 14;

bool isControl(QChar c)
{
    return c.category() == QChar::Other_Control || c.unicode() == 0;
}

} // namespace

QString relativePathProblem(const QString &path)
{
    if (path.isEmpty())
        return QStringLiteral("the path is empty");
    if (!path.isValidUtf16())
        return QStringLiteral("the path is not valid Unicode");
    if (path.toUtf8().size() > kMaxPathBytes)
        return QStringLiteral("the path is longer than %1 bytes").arg(kMaxPathBytes);
    if (path.startsWith(QLatin1Char('/')))
        return QStringLiteral("the path is absolute");
    for (QChar c : path) {
        if (c == QLatin1Char('\\'))
            return QStringLiteral("the path contains a backslash");
        if (isControl(c))
            return QStringLiteral("the path contains a control character");
    }
    for (QStringView component : QStringView(path).split(QLatin1Char('/'))) {
        if (component.isEmpty())
            return QStringLiteral("the path has an empty component");
        if (component == QLatin1String(".") || component == QLatin1String(".."))
            return QStringLiteral("the path has a '%1' component").arg(component);
        if (component.toUtf8().size() > kMaxPathComponentBytes)
            return QStringLiteral("a path component is longer than %1 bytes").arg(kMaxPathComponentBytes);
    }
    return {};
}

bool validRelativePath(const QString &path)
{
    return relativePathProblem(path).isEmpty();
}

qint64 Manifest::totalSize() const
{
    qint64 total = 0;
    for (const FileEntry &f : files)
        total += f.size;
    return total;
}

Result<void> Manifest::validate() const
{
    if (files.size() > kMaxManifestFiles)
        return base::fail(TransferError::TooLarge,
            QStringLiteral("%1: %2 files, the limit is %3").arg(kWhat).arg(files.size()).arg(kMaxManifestFiles));
    QSet<QString> paths;
    QSet<QString> folders;
    for (const FileEntry &f : files) {
        if (const QString problem = relativePathProblem(f.path); !problem.isEmpty())
            return base::fail(TransferError::InvalidPath, QStringLiteral("%1: '%2': %3").arg(kWhat, f.path, problem));
        if (f.size != f.stream.size)
            return base::fail(TransferError::InvalidField,
                QStringLiteral("%1: '%2' is %3 bytes but its stream holds %4")
                    .arg(kWhat, f.path)
                    .arg(f.size)
                    .arg(f.stream.size));
        if (auto v = f.stream.validate(); !v.ok())
            return base::fail(v.code(), QStringLiteral("%1: '%2': %3").arg(kWhat, f.path, v.message()));
        if (paths.contains(f.path) || folders.contains(f.path))
            return base::fail(TransferError::InvalidPath,
                QStringLiteral("%1: '%2' appears twice (as a file or a folder)").arg(kWhat, f.path));
        paths.insert(f.path);
        for (qsizetype slash = f.path.indexOf(QLatin1Char('/')); slash >= 0;
             slash = f.path.indexOf(QLatin1Char('/'), slash + 1)) {
            const QString folder = f.path.left(slash);
            if (paths.contains(folder))
                return base::fail(TransferError::InvalidPath,
                    QStringLiteral("%1: '%2' is both a file and a folder").arg(kWhat, folder));
            folders.insert(folder);
        }
    }
    return {};
}

QByteArray Manifest::encode() const
{
    QCborArray entries;
    for (const FileEntry &f : files) {
        QCborMap entry;
        entry.insert(KeyPath, f.path);
        entry.insert(KeySize, f.size);
        entry.insert(KeyStream, f.stream.toCbor());
        entries.append(entry);
    }
    QCborMap map;
    map.insert(KeyFiles, entries);
    return cbor::encode(map);
}

Result<Manifest> Manifest::decode(QByteArrayView bytes)
{
    if (bytes.size() > kMaxManifestBytes)
        return base::fail(TransferError::TooLarge,
            QStringLiteral("%1: %2 bytes, the limit is %3").arg(kWhat).arg(bytes.size()).arg(kMaxManifestBytes));
    cbor::Limits limits;
    limits.maxBytes = kMaxManifestBytes;
    limits.maxDepth = 5;
    // Every index hash takes at least 34 bytes of input, which bounds them.
    limits.maxItems = 3 + kItemsPerEntry * kMaxManifestFiles + kMaxManifestBytes / (kHashBytes + 2);
    limits.maxStringLength = kMaxPathBytes;
    auto value = cbor::decode(bytes, limits);
    if (!value.ok())
        return fromCborError(value.error(), kWhat);
    auto reader = cbor::MapReader::from(value.value());
    if (!reader.ok())
        return fromCborError(reader.error(), kWhat);
    if (!reader->hasOnlyKeys({KeyFiles}))
        return base::fail(TransferError::UnknownField, QStringLiteral("%1: unknown field").arg(kWhat));
    auto entries = reader->array(KeyFiles, kMaxManifestFiles);
    if (!entries.ok())
        return fromCborError(entries.error(), kWhat);
    Manifest manifest;
    manifest.files.reserve(entries->size());
    for (const QCborValue &v : entries.value()) {
        auto entry = cbor::MapReader::from(v);
        if (!entry.ok())
            return fromCborError(entry.error(), kWhat);
        if (!entry->hasOnlyKeys({KeyPath, KeySize, KeyStream}))
            return base::fail(TransferError::UnknownField, QStringLiteral("%1: unknown field in a file").arg(kWhat));
        FileEntry f;
        auto path = entry->text(KeyPath, kMaxPathBytes);
        if (!path.ok())
            return fromCborError(path.error(), kWhat);
        f.path = std::move(path).value();
        if (const QString problem = relativePathProblem(f.path); !problem.isEmpty())
            return base::fail(TransferError::InvalidPath, QStringLiteral("%1: '%2': %3").arg(kWhat, f.path, problem));
        auto size = entry->integer(KeySize, 0, kMaxStreamSize);
        if (!size.ok())
            return fromCborError(size.error(), kWhat);
        f.size = size.value();
        auto stream = entry->map(KeyStream);
        if (!stream.ok())
            return fromCborError(stream.error(), kWhat);
        auto ref = StreamRef::fromCbor(stream.value());
        if (!ref.ok())
            return base::fail(ref.code(), QStringLiteral("%1: '%2': %3").arg(kWhat, f.path, ref.message()));
        f.stream = std::move(ref).value();
        manifest.files.append(std::move(f));
    }
    if (auto v = manifest.validate(); !v.ok())
        return v.error();
    return manifest;
}

} // namespace cairn::transfer
