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
                "A damaged header does not stop the check: each damaged range is reported (start, end,",
                "what was wrong) and the walk restarts at the next plausible block; the objects checked",
                "and the objects and bytes lost are counted. Past the first 10,000 ranges, ranges are counted",
                "but not listed (JSON: damaged_ranges_total, damaged_ranges_omitted).",
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
                        .field("references", verifier.references())
                        .field("objects_checked", verifier.census().liveObjects);
                long lost = verifier.objectsLost();
                if (lost >= 0) {
                    json.field("objects_lost", lost);
                } else {
                    json.field("objects_lost", (String) null);
                }
                DamagedRanges damage = verifier.damage();
                json.field("bytes_lost", verifier.bytesLost()).key("damaged_ranges").beginArray();
                for (int i = 0; i < damage.kept().size(); i++) {
                    Verifier.Damage d = damage.kept().get(i);
                    json.beginObject().field("start", d.startOffset()).field("end", d.endOffset()).field("bytes", d.bytes())
                            .field("what", d.what()).field("references_into", damage.referencesInto(i)).endObject();
                }
                json.endArray().field("damaged_ranges_total", damage.count()).field("damaged_ranges_omitted", damage.omitted())
                        .field("references_into_omitted", damage.referencesIntoOmitted())
                        .key("checked").beginArray();
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
                DamagedRanges damage = verifier.damage();
                if (!damage.isEmpty()) {
                    long into = damage.referencesIntoAll();
                    long lost = verifier.objectsLost();
                    out.printf("damage: %,d damaged range(s)%s, %,d bytes lost, %s; %,d objects checked; %,d reference(s) point into the damage%n",
                            damage.count(), damage.omitted() == 0 ? ""
                                    : String.format(" (the first %,d listed, %,d left out)", damage.kept().size(), damage.omitted()),
                            verifier.bytesLost(),
                            lost >= 0 ? String.format("%,d object(s) lost", lost)
                                    : "objects lost unknown (the store was not closed cleanly: no commit counts its objects)",
                            verifier.census().liveObjects, into);
                }
                out.println(ok ? "OK: no problems found in " + file
                        : "FAILED: " + verifier.findingCount() + " problem(s) found in " + file);
                out.flush();
            }
            return ok ? HeapDump.OK : HeapDump.FINDINGS;
        }
    }
}
