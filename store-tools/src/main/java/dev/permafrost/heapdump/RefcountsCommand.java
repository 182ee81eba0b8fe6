package dev.permafrost.heapdump;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code refcounts FILE}: immortal objects and a log2 histogram of mortal counts, per type. */
@Command(name = "refcounts", mixinStandardHelpOptions = true,
        description = {"Reference counts per type: immortal, and a log2 histogram of mortal counts.", "Per type: immortal objects, and a log2 histogram of the reference counts of mortal",
                "objects (bucket [2^k, 2^(k+1)) counts objects whose count lies in it)."})
final class RefcountsCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The store file.")
    Path file;

    @Override
    public Integer call() {
        try (StoreImage image = StoreImage.open(file)) {
            Tables tables = Tables.read(image);
            Census census = new Census();
            HeapScan.walk(image, progress("refcounts", image.bumpOffset()), census);
            List<Census.TypeStats> rows = census.types();
            long[] total = new long[64];
            for (Census.TypeStats s : rows) {
                for (int k = 0; k < 64; k++) {
                    total[k] += s.mortalCountLog2[k];
                }
            }
            if (common.json) {
                Json json = startJson(file).key("types").beginArray();
                for (Census.TypeStats s : rows) {
                    json.beginObject().field("type", tables.typeName(s.typeId)).field("type_id", s.typeId)
                            .field("objects", s.objects).field("immortal", s.immortal).field("mortal", s.mortal);
                    histogram(json, s.mortalCountLog2);
                    json.endObject();
                }
                json.endArray().key("total").beginObject().field("objects", census.liveObjects)
                        .field("immortal", census.immortal).field("mortal", census.mortal);
                histogram(json, total);
                json.endObject().endObject();
                printJson(json);
                return HeapDump.OK;
            }
            PrintWriter out = out();
            for (Census.TypeStats s : rows) {
                out.printf("%s: %,d objects, %,d immortal, %,d mortal%n", tables.typeName(s.typeId), s.objects, s.immortal, s.mortal);
                printHistogram(out, s.mortalCountLog2);
            }
            out.printf("Total: %,d objects, %,d immortal, %,d mortal%n", census.liveObjects, census.immortal, census.mortal);
            printHistogram(out, total);
            out.flush();
            return HeapDump.OK;
        }
    }

    private static void histogram(Json json, long[] log2) {
        json.key("mortal_counts_log2").beginArray();
        for (int k = 0; k < 64; k++) {
            if (log2[k] != 0) {
                json.beginObject().field("from", 1L << k).field("to", k == 63 ? Long.MAX_VALUE : (1L << (k + 1)) - 1)
                        .field("objects", log2[k]).endObject();
            }
        }
        json.endArray();
    }

    private static void printHistogram(PrintWriter out, long[] log2) {
        long max = 0;
        for (long n : log2) {
            max = Math.max(max, n);
        }
        for (int k = 0; k < 64; k++) {
            if (log2[k] != 0) {
                String range = k == 0 ? "1" : (1L << k) + ".." + (k == 63 ? Long.MAX_VALUE : (1L << (k + 1)) - 1);
                int bar = (int) Math.max(1, log2[k] * 40 / max);
                out.printf("  count %-22s %,14d %s%n", range, log2[k], "#".repeat(bar));
            }
        }
    }
}
