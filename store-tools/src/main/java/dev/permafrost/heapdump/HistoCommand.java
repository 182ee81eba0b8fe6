package dev.permafrost.heapdump;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code histo FILE}: objects and bytes per type, like {@code jmap -histo}. */
@Command(name = "histo", mixinStandardHelpOptions = true,
        description = {"Objects and bytes per type, like jmap -histo.", "Per type: objects, bytes (blocks, headers included), immortal, mortal; and a total line;",
                "then a line per cache (a cache version's entries, table slots, bytes per entry, longest probe, codecs)."})
final class HistoCommand extends StoreCommand {
    /** How rows are ordered. */
    enum Sort {
        /** Most bytes first. */
        bytes,
        /** Most objects first. */
        count
    }

    @Parameters(index = "0", paramLabel = "FILE", description = "The store file.")
    Path file;

    @Option(names = "--sort", paramLabel = "bytes|count", defaultValue = "bytes",
            description = "Order rows by bytes or by object count, largest first (default: ${DEFAULT-VALUE}).")
    Sort sort;

    @Option(names = "--top", paramLabel = "N", description = "Show only the first N types (the total still counts all).")
    Integer top;

    @Override
    public Integer call() {
        if (top != null && top < 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--top must be 0 or more, found " + top);
        }
        try (StoreImage image = StoreImage.open(file)) {
            Tables tables = Tables.read(image);
            List<Caches.Cache> caches = Caches.read(image, tables);
            Census census = new Census();
            HeapScan.walk(image, progress("histo", image.bumpOffset()), census);
            List<Census.TypeStats> rows = census.types();
            Comparator<Census.TypeStats> order = sort == Sort.count
                    ? Comparator.<Census.TypeStats>comparingLong(s -> s.objects).thenComparingLong(s -> s.bytes)
                    : Comparator.<Census.TypeStats>comparingLong(s -> s.bytes).thenComparingLong(s -> s.objects);
            rows.sort(order.reversed().thenComparingInt(s -> s.typeId));
            List<Census.TypeStats> shown = top == null ? rows : rows.subList(0, Math.min(top, rows.size()));
            if (common.json) {
                Json json = startJson(file).field("sort", sort.name()).key("types").beginArray();
                for (Census.TypeStats s : shown) {
                    json.beginObject().field("type", tables.typeName(s.typeId)).field("type_id", s.typeId)
                            .field("objects", s.objects).field("bytes", s.bytes).field("payload_bytes", s.payloadBytes)
                            .field("immortal", s.immortal).field("mortal", s.mortal).endObject();
                }
                json.endArray().key("total").beginObject().field("types", rows.size())
                        .field("objects", census.liveObjects).field("bytes", census.liveBytes)
                        .field("immortal", census.immortal).field("mortal", census.mortal).endObject();
                json.key("caches").beginArray();
                caches.forEach(cache -> cache.toJson(json));
                json.endArray().endObject();
                printJson(json);
                return HeapDump.OK;
            }
            int nameWidth = Math.max(("Total (" + rows.size() + " types)").length(), shown.stream().mapToInt(s -> tables.typeName(s.typeId).length()).max().orElse(0));
            PrintWriter out = out();
            String format = "%5s  %-" + nameWidth + "s %14s %16s %14s %14s%n";
            out.printf(format, "#", "type", "objects", "bytes", "immortal", "mortal");
            int rank = 1;
            for (Census.TypeStats s : shown) {
                out.printf(format, rank++ + ":", tables.typeName(s.typeId), String.format("%,d", s.objects),
                        String.format("%,d", s.bytes), String.format("%,d", s.immortal), String.format("%,d", s.mortal));
            }
            out.printf(format, "", "Total (" + rows.size() + " types)", String.format("%,d", census.liveObjects),
                    String.format("%,d", census.liveBytes), String.format("%,d", census.immortal),
                    String.format("%,d", census.mortal));
            for (Caches.Cache cache : caches) {
                out.printf("cache %s: %s%n", cache.root(), cache.describe());
            }
            out.flush();
            return HeapDump.OK;
        }
    }
}
