package dev.permafrost.heapdump;

import dev.permafrost.layout.StoreFormat;
import dev.permafrost.memory.MappingMemory;
import dev.permafrost.memory.MappingNotFoundException;
import dev.permafrost.memory.PageMap;
import dev.permafrost.memory.ProcessMemory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cow --pid P [FILE]}: which pages of the store a live process copied, and why. */
@Command(name = "cow", mixinStandardHelpOptions = true,
        description = {"Which pages of a store a live process shares, copied, or never touched; and whose writes copied them.",
                "Copied pages are attributed to types and objects by comparing the process's memory",
                "(/proc/PID/mem) with the file where it may be read, and by the object headers in each page",
                "otherwise; the output says which was used. --png and --svg draw the page map."})
final class CowCommand extends StoreCommand {
    @Option(names = "--pid", paramLabel = "P", required = true, description = "The process that maps the store.")
    long pid;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The store file; may be left out when the process maps exactly one store.")
    Path file;

    @Option(names = "--png", paramLabel = "OUT", description = "Write the page map as a PNG picture.")
    Path png;

    @Option(names = "--svg", paramLabel = "OUT", description = "Write the page map as an SVG picture.")
    Path svg;

    @Option(names = "--no-memory", description = "Attribute copied pages by the object headers in them only, without reading the process's memory.")
    boolean noMemory;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20",
            description = "Objects to list, most copied pages first (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() {
        if (pid <= 0) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--pid must be a positive process id, found " + pid);
        }
        long startNanos = System.nanoTime();
        List<ProcMaps.Entry> maps = ProcMaps.read(pid);
        Path store = file != null ? file : findStore(maps);
        try (StoreImage image = StoreImage.open(store)) {
            String name = ProcMaps.kernelName(store);
            List<ProcMaps.Entry> entries = maps.stream().filter(e -> ProcMaps.maps(e, name)).toList();
            if (entries.isEmpty()) {
                throw new MappingNotFoundException(pid, store, "does not map " + name + " (looked in /proc/" + pid + "/maps)");
            }
            long base = entries.getFirst().startAddress() - entries.getFirst().fileOffset();
            long end = entries.stream().mapToLong(ProcMaps.Entry::endAddress).max().orElseThrow();
            long mappedBytes = Math.min(StoreFormat.alignToPage(image.fileBytes()), end - base);
            MappingMemory smaps = ProcessMemory.ofFile(pid, store);
            PageMap pages = ProcessMemory.pages(pid, base, mappedBytes);
            Tables tables = Tables.read(image);
            CopyAnalysis analysis = CopyAnalysis.of(image, tables, pages, pid, !noMemory, progress("cow", image.bumpOffset()));
            long analysisMillis = (System.nanoTime() - startNanos) / 1_000_000;
            String method = analysis.memoryReadable() ? "memory" : "headers";
            String title = "pid " + pid + " maps " + store.getFileName() + ": " + analysis.copied() + " copied, "
                    + analysis.shared() + " shared, " + analysis.absent() + " absent of " + analysis.pageCount() + " pages";
            if (png != null) {
                new PageMapPicture(title, analysis).writePng(png);
            }
            if (svg != null) {
                new PageMapPicture(title, analysis).writeSvg(svg);
            }
            List<CopyAnalysis.ObjectRow> objects = analysis.objects();
            List<CopyAnalysis.ObjectRow> shown = objects.subList(0, Math.min(Math.max(0, top), objects.size()));
            if (common.json) {
                Json json = startJson(store).field("pid", pid).field("mapping_address", base)
                        .field("mapped_bytes", mappedBytes).field("page_bytes", StoreFormat.PAGE_SIZE);
                json.key("pages").beginObject().field("total", analysis.pageCount()).field("absent", analysis.absent())
                        .field("shared", analysis.shared()).field("copied", analysis.copied()).endObject();
                json.field("copied_bytes", analysis.copied() * StoreFormat.PAGE_SIZE)
                        .field("rss_bytes", smaps.rssBytes()).field("pss_bytes", smaps.pssBytes())
                        .field("anonymous_bytes", smaps.anonymousBytes())
                        .field("method", method).field("memory_problem", analysis.memoryProblem())
                        .field("analysis_ms", analysisMillis);
                json.key("pages_by_method").beginObject().field("memory", analysis.pagesByMemory())
                        .field("headers", analysis.pagesByHeaders()).endObject();
                json.key("by_type").beginArray();
                for (CopyAnalysis.TypeRow row : analysis.byType()) {
                    json.beginObject().field("type", row.type).field("copied_pages", row.copiedPages)
                            .field("objects", row.objects).endObject();
                }
                json.endArray().field("objects_total", objects.size()).key("objects").beginArray();
                for (CopyAnalysis.ObjectRow o : shown) {
                    json.beginObject().field("offset", o.offset).field("type", o.type).field("copied_pages", o.copiedPages)
                            .field("changed_bytes", o.changedBytes).field("count_changed", o.countChanged)
                            .field("payload_changed", o.payloadChanged).field("meta_changed", o.metaChanged).endObject();
                }
                json.endArray();
                if (png != null) {
                    json.field("png", png.toString());
                }
                if (svg != null) {
                    json.field("svg", svg.toString());
                }
                printJson(json.endObject());
                return HeapDump.OK;
            }
            PrintWriter out = out();
            out.printf("process %d (%s)%n", pid, ProcMaps.commandLine(pid));
            out.printf("maps %s at 0x%x: %,d pages (%s)%n", store, base, analysis.pageCount(), Units.bytes(mappedBytes));
            out.printf("pages: %,d absent, %,d shared, %,d copied (%s)%n", analysis.absent(), analysis.shared(),
                    analysis.copied(), Units.bytes(analysis.copied() * StoreFormat.PAGE_SIZE));
            out.printf("smaps: Rss %s, Pss %s, copied (Anonymous) %s%n", Units.bytes(smaps.rssBytes()),
                    Units.bytes(smaps.pssBytes()), Units.bytes(smaps.anonymousBytes()));
            if (analysis.copied() > 0) {
                out.printf("attribution: %,d page(s) by comparing the process's memory with the file, %,d by the object"
                        + " headers in the page%s%n", analysis.pagesByMemory(), analysis.pagesByHeaders(),
                        !analysis.memoryReadable() ? " (" + analysis.memoryProblem() + ")"
                                : analysis.pagesByHeaders() > 0 ? " (pages identical to the file: a count raised and lowered again, or a failed CAS)" : "");
                out.println();
                out.printf("%-40s %14s %10s%n", "copied pages by type", "pages", "objects");
                for (CopyAnalysis.TypeRow row : analysis.byType()) {
                    out.printf("%-40s %,14d %,10d%n", row.type, row.copiedPages, row.objects);
                }
                if (!shown.isEmpty()) {
                    out.println();
                    out.printf("%-14s %-24s %6s %8s  %s%n", "object", "type", "pages", "changed", "what changed");
                    for (CopyAnalysis.ObjectRow o : shown) {
                        out.printf("%-14s %-24s %6d %8s  %s%n", Units.hex(o.offset), o.type, o.copiedPages,
                                o.changedBytes == 0 ? "-" : o.changedBytes + " B", what(o));
                    }
                    if (objects.size() > shown.size()) {
                        out.printf("... and %,d more objects (--top N)%n", objects.size() - shown.size());
                    }
                }
            }
            if (png != null) {
                out.println("page map: " + png);
            }
            if (svg != null) {
                out.println("page map: " + svg);
            }
            out.flush();
            return HeapDump.OK;
        }
    }

    private static String what(CopyAnalysis.ObjectRow o) {
        List<String> parts = new ArrayList<>();
        if (o.countChanged) {
            parts.add("count word");
        }
        if (o.metaChanged) {
            parts.add("meta word");
        }
        if (o.payloadChanged) {
            parts.add("payload");
        }
        return parts.isEmpty() ? "header in a copied page (no byte differs, or memory not readable)" : String.join(", ", parts);
    }

    /** The one store file the process maps: a mapped file that starts with the store magic. */
    private Path findStore(List<ProcMaps.Entry> maps) {
        Set<String> stores = new LinkedHashSet<>();
        for (ProcMaps.Entry e : maps) {
            String path = e.pathname().endsWith(" (deleted)") ? e.pathname().substring(0, e.pathname().length() - 10) : e.pathname();
            if (!stores.contains(path) && startsWithMagic(Path.of(path))) {
                stores.add(path);
            }
        }
        if (stores.isEmpty()) {
            throw new MappingNotFoundException(pid, null, "maps no Permafrost store (no mapped file starts with \"PRMFROST\")");
        }
        if (stores.size() > 1) {
            throw new InspectionException(null, "process " + pid + " maps " + stores.size() + " stores: " + stores
                    + "; name one: heap-dump cow --pid " + pid + " FILE");
        }
        return Path.of(stores.iterator().next());
    }

    private static boolean startsWithMagic(Path path) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(8);
            channel.read(head, 0);
            return head.position() == 8 && "PRMFROST".equals(new String(head.array(), StandardCharsets.US_ASCII));
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
