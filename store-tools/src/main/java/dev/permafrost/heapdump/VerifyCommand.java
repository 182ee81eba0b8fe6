package dev.permafrost.heapdump;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code verify FILE}: the full structural check. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"A full structural check; exit 0 clean, 1 findings, 2 unreadable.", "Checks the superblock, commit slots, every object header, the free lists,",
                "the frozen checksum, every reference (a live object of the right type), reference counts",
                "at least the references found, unreachable mortal objects (leaks).",
                "Exit 0 clean, 1 findings (each with its offset), 2 unreadable."})
final class VerifyCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The store file.")
    Path file;

    @Override
    public Integer call() {
        try (StoreImage image = StoreImage.open(file)) {
            Verifier verifier = new Verifier(image).run(this::progress);
            boolean ok = verifier.findingCount() == 0;
            if (common.json) {
                Json json = startJson(file).field("ok", ok).field("findings_total", verifier.findingCount())
                        .key("findings").beginArray();
                for (Verifier.Finding f : verifier.findings()) {
                    json.beginObject().field("offset", f.offset()).field("what", f.what()).endObject();
                }
                json.endArray().field("objects", verifier.census().liveObjects).field("blocks", verifier.census().blocks)
                        .field("references", verifier.references()).key("checked").beginArray();
                verifier.checked().forEach(json::value);
                json.endArray().key("notes").beginArray();
                verifier.notes().forEach(json::value);
                json.endArray().endObject();
                printJson(json);
            } else {
                PrintWriter out = out();
                for (Verifier.Finding f : verifier.findings()) {
                    out.printf("%s: %s%n", f.offset() < 0 ? "-" : Units.hex(f.offset()), f.what());
                }
                if (verifier.findingCount() > verifier.findings().size()) {
                    out.printf("... and %,d more findings%n", verifier.findingCount() - verifier.findings().size());
                }
                for (String c : verifier.checked()) {
                    out.println("checked: " + c);
                }
                for (String n : verifier.notes()) {
                    out.println("note: " + n);
                }
                out.println(ok ? "OK: no problems found in " + file
                        : "FAILED: " + verifier.findingCount() + " problem(s) found in " + file);
                out.flush();
            }
            return ok ? HeapDump.OK : HeapDump.FINDINGS;
        }
    }
}
