#include "twin/ingest/remote_write_ingest.h"

namespace twin::ingest {

RemoteWriteIngest::RemoteWriteIngest(const Inventory& inventory, FrameAssembler& assembler, DecodeLimits limits,
                                     RackAssembler* racks)
    : mapper_(inventory, assembler, racks), limits_(limits)
{
}

IngestResult RemoteWriteIngest::ingest(std::string_view body, std::string_view source)
{
    IngestResult r;
    IngestCounts& c = r.counts;
    c.requests = 1;
    // Pass 1 while decoding (the series are views into the thread's decoded body), pass 2 after.
    MappingPass pass(mapper_, source, r);
    const DecodeResult d = decodeRemoteWrite(body, source, limits_, [&](const SeriesView& ts) { pass.add(ts); });
    c.series = d.series;
    c.badSeries = d.badSeries;
    pass.finish();
    if (!d.error.empty()) r.firstError = d.error;   // the body's problem comes before any sample's

    if (d.status == DecodeStatus::TooLarge) r.status = IngestStatus::TooLarge;
    else if (d.status != DecodeStatus::Ok || c.invalid() > 0) r.status = IngestStatus::Invalid;
    if (r.status != IngestStatus::Ok) c.badRequests = 1;
    return r;
}

} // namespace twin::ingest
