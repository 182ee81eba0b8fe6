package dev.permafrost.heapdump;

import dev.permafrost.layout.CommitSlotDescriptor.CommitSlot;
import dev.permafrost.layout.StoreFormat;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code info FILE}: the store at a glance. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"The store at a glance.", "Format version, frozen or not, cleanly closed or not, capacity and used bytes,",
                "object counts (immortal and mortal), free and wasted bytes, types, roots;",
                "for a cache version: entries, table slots, bytes per entry beyond keys and values, longest probe, codecs."})
final class InfoCommand extends StoreCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "The store file.")
    Path file;

    @Override
    public Integer call() {
        try (StoreImage image = StoreImage.open(file)) {
            Tables tables = Tables.read(image);
            List<Caches.Cache> caches = Caches.read(image, tables);
            Census census = new Census();
            HeapScan.walk(image, progress("info", image.bumpOffset()), census);
            CommitSlot slot = image.committed();
            long used = image.bumpOffset() - image.heapStartOffset();
            long freeBytes = 0;
            long wastedBytes = 0;
            if (slot.isFrozen()) {
                wastedBytes = census.freeBytes + slot.frozenBoundaryOffset() - slot.bumpOffset();
            } else {
                freeBytes = census.freeBytes;
            }
            long fillers = slot.isFrozen() ? 0 : census.fillerBytes;
            freeBytes -= fillers;
            wastedBytes += fillers;
            if (common.json) {
                Json json = startJson(file)
                        .field("format_version", image.superblock().formatVersion())
                        .field("frozen", slot.isFrozen())
                        .field("cleanly_closed", slot.isClean())
                        .field("commit_generation", slot.generation())
                        .field("created", Instant.ofEpochMilli(image.superblock().createdMillis()).toString())
                        .field("file_bytes", image.fileBytes())
                        .field("capacity_bytes", image.superblock().capacityBytes())
                        .field("used_bytes", used)
                        .field("bump_offset", slot.bumpOffset())
                        .field("frozen_boundary", slot.frozenBoundaryOffset())
                        .field("objects", census.liveObjects)
                        .field("immortal", census.immortal)
                        .field("mortal", census.mortal)
                        .field("live_bytes", census.liveBytes)
                        .field("free_bytes", freeBytes)
                        .field("wasted_bytes", wastedBytes)
                        .field("types", tables.typeCount())
                        .field("types_in_use", census.types().size());
                json.key("roots").beginArray();
                for (Tables.Root root : tables.roots()) {
                    json.beginObject().field("name", root.name()).field("offset", root.objectOffset())
                            .field("type", root.objectOffset() == 0 ? null : tables.typeName(typeOf(image, root.objectOffset())))
                            .endObject();
                }
                json.endArray();
                json.key("caches").beginArray();
                caches.forEach(cache -> cache.toJson(json));
                json.endArray().endObject();
                printJson(json);
                return HeapDump.OK;
            }
            PrintWriter out = out();
            out.printf("store           %s%n", file);
            out.printf("format version  %d%n", image.superblock().formatVersion());
            out.printf("state           %s, %s (commit generation %d)%n", slot.isFrozen() ? "frozen" : "not frozen",
                    slot.isClean() ? "cleanly closed" : "NOT cleanly closed (owner still has it open, or died)",
                    slot.generation());
            out.printf("created         %s%n", Instant.ofEpochMilli(image.superblock().createdMillis()));
            out.printf("file            %,d bytes (%s)%n", image.fileBytes(), Units.bytes(image.fileBytes()));
            out.printf("capacity        %,d bytes (%s)%n", image.superblock().capacityBytes(), Units.bytes(image.superblock().capacityBytes()));
            out.printf("used            %,d bytes (%s), heap %s..%s%s%n", used, Units.bytes(used),
                    Units.hex(image.heapStartOffset()), Units.hex(slot.bumpOffset()),
                    slot.isFrozen() ? ", frozen boundary " + Units.hex(slot.frozenBoundaryOffset()) : "");
            out.printf("objects         %,d (%,d immortal, %,d mortal), %,d bytes%n", census.liveObjects, census.immortal,
                    census.mortal, census.liveBytes);
            out.printf("free            %,d bytes%n", freeBytes);
            out.printf("wasted          %,d bytes%n", wastedBytes);
            out.printf("types           %d in the type table, %d in use%n", tables.typeCount(), census.types().size());
            out.printf("roots           %d%n", tables.roots().size());
            for (Tables.Root root : tables.roots()) {
                out.printf("  %-20s -> %s%s%n", root.name(), Units.hex(root.objectOffset()),
                        root.objectOffset() == 0 ? "" : " (" + tables.typeName(typeOf(image, root.objectOffset())) + ")");
            }
            for (Caches.Cache cache : caches) {
                out.printf("cache           %s -> %s: %s%n", cache.root(), Units.hex(cache.headerOffset()), cache.describe());
            }
            out.flush();
            return HeapDump.OK;
        }
    }

    private static int typeOf(StoreImage image, long objectOffset) {
        return dev.permafrost.layout.ObjectHeaderDescriptor.typeId(image.memory().get(StoreFormat.LONG,
                objectOffset + dev.permafrost.layout.ObjectHeaderDescriptor.META_OFFSET));
    }
}
