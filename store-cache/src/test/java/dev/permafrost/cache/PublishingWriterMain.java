package dev.permafrost.cache;

import java.nio.file.Path;

/** A writer that publishes version after version until killed: each version maps every key to "v" + its number. */
public final class PublishingWriterMain {
    static final int KEYS = 3000;

    private PublishingWriterMain() {
    }

    /**
     * Runs the writer.
     *
     * @param args the cache directory
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        while (true) {
            try (CacheWriter<String, String> writer = SharedCache.writer(dir, Codecs.string(), Codecs.string())) {
                String value = "v" + writer.version();
                for (int i = 0; i < KEYS; i++) {
                    writer.put("key-" + i, value);
                }
                writer.publish();
                System.out.println("published " + writer.version());
                System.out.flush();
            }
        }
    }
}
