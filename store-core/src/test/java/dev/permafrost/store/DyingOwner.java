package dev.permafrost.store;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A child JVM for {@link DeadOwnerTest}: creates a store, allocates, commits once, allocates
 * again, says {@code ready}, waits for a line on stdin, and dies with {@link Runtime#halt}
 * (no close, no shutdown hooks), as a killed owner would.
 */
final class DyingOwner {
    static final String READY = "ready";
    static final int EXIT_CODE = 3;

    private DyingOwner() {
    }

    public static void main(String[] args) throws IOException {
        Store store = Store.create(Path.of(args[0]), 1 << 20);
        for (int i = 0; i < 5; i++) {
            store.payload(store.allocate(100)).fill((byte) i);
        }
        store.commit(); // generation 2
        store.allocate(100); // after the last commit: not in any committed state
        System.out.println(READY);
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        Runtime.getRuntime().halt(EXIT_CODE);
    }
}
