#pragma once

// Internal to core/transfer: what TransferManager keeps per in-memory stream.

#include "core/transfer/streamdownloader.h"
#include "core/transfer/streamuploader.h"
#include "core/transfer/transfermanager.h"

namespace cairn::transfer {

/// An in-memory upload or download (uploadBytes/downloadBytes).
struct TransferManager::MemoryOp {
    std::unique_ptr<MemorySource> source;
    std::unique_ptr<MemorySink> sink;
    std::unique_ptr<StreamUploader> uploader;
    std::unique_ptr<StreamDownloader> downloader;
};

} // namespace cairn::transfer
