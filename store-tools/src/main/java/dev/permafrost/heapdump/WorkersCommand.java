package dev.permafrost.heapdump;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.memory.MappingMemory;
import dev.permafrost.memory.ProcessMemory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code workers FILE}: every process on the host that maps the store, and what it costs. */
@Command(name = "workers", mixinStandardHelpOptions = true,
        description = {"Every process on the host that maps FILE: copied bytes, Pss and Rss of its mapping;",
                "and the fleet's total against one private copy of the file each."})
final class WorkersCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The store file.")
    Path file;

    private record Row(long pid, String command, MappingMemory memory, String error) {
    }

    @Override
    public Integer call() {
        long fileBytes;
        try (StoreImage image = StoreImage.open(file)) {
            fileBytes = image.fileBytes();
        }
        String name = ProcMaps.kernelName(file);
        List<Row> rows = new ArrayList<>();
        for (long pid : ProcMaps.pids()) {
            List<ProcMaps.Entry> maps;
            try {
                maps = ProcMaps.read(pid);
            } catch (PermafrostException e) {
                continue; // gone, or another user's: its maps say nothing to us
            }
            if (maps.stream().noneMatch(e -> ProcMaps.maps(e, name))) {
                continue;
            }
            try {
                rows.add(new Row(pid, ProcMaps.commandLine(pid), ProcessMemory.ofFile(pid, file), null));
            } catch (PermafrostException e) {
                rows.add(new Row(pid, ProcMaps.commandLine(pid), null, e.getMessage()));
            }
        }
        long pss = 0;
        long copied = 0;
        long rss = 0;
        int measured = 0;
        for (Row r : rows) {
            if (r.memory() != null) {
                pss += r.memory().pssBytes();
                copied += r.memory().copiedBytes();
                rss += r.memory().rssBytes();
                measured++;
            }
        }
        long privateCopies = (long) measured * fileBytes;
        if (common.json) {
            Json json = startJson(file).field("file_bytes", fileBytes).key("processes").beginArray();
            for (Row r : rows) {
                json.beginObject().field("pid", r.pid()).field("command", r.command());
                if (r.memory() != null) {
                    json.field("copied_bytes", r.memory().copiedBytes()).field("pss_bytes", r.memory().pssBytes())
                            .field("rss_bytes", r.memory().rssBytes()).field("shared_clean_bytes", r.memory().sharedCleanBytes());
                } else {
                    json.field("error", r.error());
                }
                json.endObject();
            }
            json.endArray().key("fleet").beginObject().field("processes", measured).field("pss_bytes", pss)
                    .field("copied_bytes", copied).field("rss_bytes", rss).field("private_copies_bytes", privateCopies)
                    .field("saved_bytes", privateCopies - pss).endObject().endObject();
            printJson(json);
            return HeapDump.OK;
        }
        PrintWriter out = out();
        out.printf("%s (%s) is mapped by %d process(es)%n", file, Units.bytes(fileBytes), rows.size());
        if (!rows.isEmpty()) {
            out.printf("%8s %12s %12s %12s  %s%n", "pid", "copied", "Pss", "Rss", "command");
            for (Row r : rows) {
                if (r.memory() != null) {
                    out.printf("%8d %12s %12s %12s  %s%n", r.pid(), Units.bytes(r.memory().copiedBytes()),
                            Units.bytes(r.memory().pssBytes()), Units.bytes(r.memory().rssBytes()), r.command());
                } else {
                    out.printf("%8d %12s  %s%n", r.pid(), "?", r.error());
                }
            }
            out.printf("%8s %12s %12s %12s%n", "fleet", Units.bytes(copied), Units.bytes(pss), Units.bytes(rss));
            out.printf("the fleet's memory for the store (sum of Pss): %s; one private copy each would be %d x %s = %s%n",
                    Units.bytes(pss), measured, Units.bytes(fileBytes), Units.bytes(privateCopies));
        }
        out.flush();
        return HeapDump.OK;
    }
}
