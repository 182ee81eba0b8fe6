package dev.permafrost.store;

import dev.permafrost.layout.FieldKinds;
import dev.permafrost.layout.ObjectHeaderDescriptor;
import dev.permafrost.layout.TypeEntryDescriptor.FieldEntry;
import dev.permafrost.layout.TypeEntryDescriptor.TypeEntry;
import java.util.HashMap;
import java.util.Map;

/**
 * A stored type as this process uses it: its descriptor, decoded once (at open or
 * registration), with what freeing needs precomputed. Immutable.
 */
final class StructLayout {
    final TypeEntry entry;
    final long descriptorOffset;
    /** Offsets of the reference fields from the start of an object (its header), bytes. */
    final long[] referenceOffsets;
    private final Map<String, FieldEntry> byName = new HashMap<>();

    StructLayout(TypeEntry entry, long descriptorOffset) {
        this.entry = entry;
        this.descriptorOffset = descriptorOffset;
        this.referenceOffsets = entry.fields().stream().filter(f -> f.kind() == FieldKinds.REFERENCE)
                .mapToLong(f -> ObjectHeaderDescriptor.LENGTH + (long) f.payloadOffset()).toArray();
        for (FieldEntry field : entry.fields()) {
            byName.put(field.name(), field);
        }
    }

    String name() {
        return entry.name();
    }

    int typeId() {
        return entry.typeId();
    }

    FieldEntry field(String name) {
        return byName.get(name);
    }
}
