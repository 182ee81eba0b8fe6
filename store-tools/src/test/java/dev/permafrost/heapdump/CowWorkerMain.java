package dev.permafrost.heapdump;

import dev.permafrost.store.OpenMode;
import dev.permafrost.store.Store;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * A worker JVM for the {@code cow} tests: opens a store copy-on-write, reads every object,
 * then writes what it is told (each write copies the page it lands in, privately), prints
 * {@code READY} and waits until stdin closes.
 *
 * <p>Arguments: the store, then any of {@code payload:OFFSET} (writes the object's first
 * payload byte), {@code retain:OFFSET} (raises its count) and {@code same:OFFSET} (raises and
 * lowers its count: the page is copied but ends up identical to the file); {@code retainEvery:STEP:TYPE}
 * and {@code payloadEvery:STEP:TYPE} do the same to every STEP-th object of a type.
 */
public final class CowWorkerMain {
    private CowWorkerMain() {
    }

    /**
     * Runs the worker.
     *
     * @param args the store, then the writes
     * @throws Exception if anything fails: the test sees the exit code
     */
    public static void main(String[] args) throws Exception {
        try (Store store = Store.open(Path.of(args[0]), OpenMode.COPY_ON_WRITE)) {
            long[] sum = {0};
            store.forEachObject((offset, typeId, payloadBytes, count) -> sum[0] += store.payload(offset).byteSize());
            for (int i = 1; i < args.length; i++) {
                String[] op = args[i].split(":");
                if (op[0].endsWith("Every")) {
                    long step = Long.parseLong(op[1]);
                    int type = Integer.parseInt(op[2]);
                    long[] seen = {0};
                    boolean retain = op[0].startsWith("retain");
                    store.forEachObject((offset, typeId, payloadBytes, count) -> {
                        if (typeId == type && seen[0]++ % step == 0) {
                            if (retain) {
                                store.retain(offset);
                            } else {
                                store.payload(offset).set(ValueLayout.JAVA_BYTE, 0, (byte) 0x5A);
                            }
                        }
                    });
                    continue;
                }
                long offset = Long.parseLong(op[1]);
                switch (op[0]) {
                    case "payload" -> store.payload(offset).set(ValueLayout.JAVA_BYTE, 0, (byte) 0x5A);
                    case "retain" -> store.retain(offset);
                    case "same" -> {
                        store.retain(offset);
                        store.release(offset);
                    }
                    default -> throw new IllegalArgumentException(args[i]);
                }
            }
            System.out.println("READY " + ProcessHandle.current().pid() + " " + sum[0]);
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the test to close stdin
            }
        }
    }
}
