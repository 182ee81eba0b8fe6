package dev.permafrost.store;

import java.nio.file.Path;

/**
 * A child JVM for {@link StoreCrashTest}: builds records forever, naming every tenth one a root,
 * replacing and removing roots as it goes, and commits every 1,000 records, printing
 * {@code committed N} (N records) after each commit; the test SIGKILLs it at a random moment.
 * Record {@code i} holds {@code i}, a name derived from it, and a reference to record
 * {@code i - 1}, so a check can tell every committed record is intact.
 */
final class CrashingBuilder {
    static final String COMMITTED = "committed ";

    record Entry(long id, String name, Ref<Entry> previous) {
    }

    private CrashingBuilder() {
    }

    static String nameOf(long id) {
        return "entry-" + id + "-" + Long.toHexString(id * 0x9E3779B97F4A7C15L);
    }

    public static void main(String[] args) {
        try (Store store = Store.create(Path.of(args[0]), 256L << 20)) {
            RecordType<Entry> entries = store.types().register(Entry.class);
            Ref<Entry> previous = null;
            for (long i = 0; ; i++) {
                Ref<Entry> entry = entries.write(new Entry(i, nameOf(i), previous));
                if (previous != null) {
                    store.release(previous); // the new entry holds its own reference
                }
                previous = entry;
                if (i % 10 == 0) {
                    store.types().setRoot("r" + i, entry);
                }
                if (i % 70 == 35) {
                    store.types().setRoot("r" + (i - 35), entry); // replace: the old one loses the root's reference
                }
                if (i % 130 == 0 && i >= 130) {
                    store.types().removeRoot("r" + (i - 130));
                }
                if ((i + 1) % 1000 == 0) {
                    store.commit();
                    System.out.println(COMMITTED + (i + 1));
                    System.out.flush();
                }
            }
        }
    }
}
