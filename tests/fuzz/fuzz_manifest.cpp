// libFuzzer target: file-drop manifests and stream references.
// The input is tried with both decoders. Invariants: whatever decodes
// re-encodes byte for byte, validates, and every path it holds passes the
// relative-path check a receiver applies before writing.
#include "core/transfer/manifest.h"

#include <cstdint>
#include <cstdlib>

using namespace cairn;
using namespace cairn::transfer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    auto manifest = Manifest::decode(input);
    if (manifest.ok()) {
        if (manifest->encode() != input || !manifest->validate().ok())
            std::abort();
        for (const FileEntry &f : manifest->files) {
            if (!validRelativePath(f.path) || f.size != f.stream.size || f.size > kMaxStreamSize)
                std::abort();
        }
        if (manifest->files.size() > kMaxManifestFiles)
            std::abort();
    }

    auto ref = StreamRef::decode(input);
    if (ref.ok()) {
        if (ref->encode() != input || !ref->validate().ok())
            std::abort();
        if (ref->index.size() != indexBlobCount(ref->size))
            std::abort();
    }
    return 0;
}
