package dev.permafrost.heapdump;

import static dev.permafrost.layout.StoreFormat.LONG;

import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.TypeIds;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code objects FILE}: one object a line. */
@Command(name = "objects", mixinStandardHelpOptions = true,
        description = {"One live object a line, with its content.", "Offset, type, payload size, reference count, and its content:",
                "the fields of tables, text shown as text, other payloads as a hex preview (long ones cut)."})
final class ObjectsCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The store file.")
    Path file;

    @Option(names = "--type", paramLabel = "T", description = "Only objects of type T (a name, type#N, or a number).")
    String type;

    @Option(names = "--root", paramLabel = "R", description = "Only the object named by root R and the objects it references, breadth first.")
    String root;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
            description = "Show at most N objects (default: ${DEFAULT-VALUE}; 0 for all).")
    long limit;

    private record Row(long offset, long countWord, long meta) {
    }

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new ParameterException(spec.commandLine(), "--limit must be 0 or more, found " + limit);
        }
        try (StoreImage image = StoreImage.open(file)) {
            Tables tables = Tables.read(image);
            int typeId = -1;
            if (type != null) {
                typeId = tables.typeId(type);
                if (typeId < 0) {
                    throw new ParameterException(spec.commandLine(), "no type \"" + type + "\" in " + file
                            + " (give a type name, type#N or a number)");
                }
            }
            long max = limit == 0 ? Long.MAX_VALUE : limit;
            List<Row> rows = new ArrayList<>();
            boolean[] more = {false};
            int wanted = typeId;
            if (root != null) {
                Tables.Root named = tables.roots().stream().filter(r -> r.name().equals(root)).findFirst()
                        .orElseThrow(() -> new ParameterException(spec.commandLine(), "no root \"" + root + "\" in " + file
                                + "; its roots: " + tables.roots().stream().map(Tables.Root::name).toList()));
                reachable(image, new References(tables), named.objectOffset(), wanted, max, rows, more);
            } else {
                HeapScan.walk(image, progress("objects", image.bumpOffset()), (offset, count, meta, blockBytes) -> {
                        if (count != ObjectHeaderDescriptor.FREE_COUNT && (wanted < 0 || ObjectHeaderDescriptor.typeId(meta) == wanted)) {
                            if (rows.size() >= max) {
                                more[0] = true;
                                throw HeapScan.STOP;
                            }
                            rows.add(new Row(offset, count, meta));
                        }
                });
            }
            print(image, tables, rows, more[0]);
            return HeapDump.OK;
        }
    }

    /** Breadth first from a root, through the references the CLI can find. */
    private static void reachable(StoreImage image, References refs, long start, int wanted, long max, List<Row> rows, boolean[] more) {
        if (start == 0) {
            return;
        }
        MemorySegment memory = image.memory();
        ArrayDeque<Long> queue = new ArrayDeque<>();
        Set<Long> seen = new HashSet<>();
        queue.add(start);
        seen.add(start);
        while (!queue.isEmpty()) {
            long offset = queue.poll();
            long count = memory.get(LONG, offset);
            long meta = memory.get(LONG, offset + ObjectHeaderDescriptor.META_OFFSET);
            if (wanted < 0 || ObjectHeaderDescriptor.typeId(meta) == wanted) {
                if (rows.size() >= max) {
                    more[0] = true;
                    return;
                }
                rows.add(new Row(offset, count, meta));
            }
            refs.forEach(memory, offset, meta, (field, target, expected) -> {
                if (seen.size() < Integer.MAX_VALUE && image.isHeapOffset(target) && seen.add(target)) {
                    long targetMeta = memory.get(LONG, target + ObjectHeaderDescriptor.META_OFFSET);
                    if (memory.get(LONG, target) != 0 && ObjectHeaderDescriptor.typeId(targetMeta) != TypeIds.INVALID
                            && ObjectHeaderDescriptor.blockBytes(targetMeta) <= image.bumpOffset() - target) {
                        queue.add(target);
                    }
                }
            });
        }
    }

    private void print(StoreImage image, Tables tables, List<Row> rows, boolean more) {
        ObjectText text = new ObjectText(image, tables);
        if (common.json) {
            Json json = startJson(file).key("objects").beginArray();
            for (Row r : rows) {
                int id = ObjectHeaderDescriptor.typeId(r.meta());
                long payloadBytes = ObjectHeaderDescriptor.payloadBytes(r.meta());
                json.beginObject().field("offset", r.offset()).field("type", tables.typeName(id)).field("type_id", id)
                        .field("payload_bytes", payloadBytes).field("block_bytes", ObjectHeaderDescriptor.blockBytes(r.meta()))
                        .field("immortal", r.countWord() < 0).key("ref_count");
                if (r.countWord() < 0) {
                    json.value((String) null);
                } else {
                    json.value(r.countWord());
                }
                json.field("content", text.content(r.offset(), r.meta()));
                text.fields(json, r.offset(), r.meta());
                json.endObject();
            }
            json.endArray().field("shown", rows.size()).field("truncated", more).endObject();
            printJson(json);
            return;
        }
        PrintWriter out = out();
        out.printf("%-14s %-18s %12s %10s  %s%n", "offset", "type", "size", "count", "content");
        for (Row r : rows) {
            int id = ObjectHeaderDescriptor.typeId(r.meta());
            long payloadBytes = ObjectHeaderDescriptor.payloadBytes(r.meta());
            out.printf("%-14s %-18s %12d %10s  %s%n", Units.hex(r.offset()), tables.typeName(id), payloadBytes,
                    r.countWord() < 0 ? "immortal" : Long.toString(r.countWord()),
                    text.content(r.offset(), r.meta()));
        }
        out.printf("%d object(s)%s%n", rows.size(), more ? " shown; more match (raise --limit, 0 for all)" : "");
        out.flush();
    }
}
