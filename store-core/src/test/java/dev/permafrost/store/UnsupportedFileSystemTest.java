package dev.permafrost.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.permafrost.error.UnsupportedFileSystemException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a file system without {@code fallocate}: ramfs, and ext2 on a loop device (ext2 has
 * no extents, so no {@code fallocate}). Without it a full disk is a SIGBUS through the mapping, so
 * an owner (create, open) is refused with an {@link UnsupportedFileSystemException} naming the
 * file, the file system and the missing call; copy-on-write and read-only openers, which never
 * grow the file, open. Each file system is mounted by the test and unmounted after; skipped with
 * a message where it cannot be (not root, no {@code mount}, no {@code mkfs.ext2}).
 */
class UnsupportedFileSystemTest {
    @TempDir
    Path dir;
    private final List<Path> mounts = new ArrayList<>();

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return -1;
        }
        return process.exitValue();
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path mount : mounts) {
            if (run("umount", mount.toString()) != 0) {
                run("umount", "-l", mount.toString());
            }
        }
    }

    private Path mount(String name, String... mountCommand) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting " + name + " needs root");
        Path mount = Files.createDirectory(dir.resolve(name));
        List<String> command = new ArrayList<>(List.of(mountCommand));
        command.add(mount.toString());
        boolean mounted = run(command.toArray(String[]::new)) == 0;
        assumeTrue(mounted, String.join(" ", command) + " failed: cannot test a file system without fallocate here");
        mounts.add(mount);
        return mount;
    }

    @Test
    void onRamfsAnOwnerIsRefusedNamingTheFileSystemAndWorkersOpen() throws Exception {
        Path mount = mount("ramfs", "mount", "-t", "ramfs", "ramfs");
        checkRefusesOwnersAndServesWorkers(mount, "ramfs");
    }

    @Test
    void onExt2AnOwnerIsRefusedNamingTheFileSystemAndWorkersOpen() throws Exception {
        Path image = dir.resolve("ext2.img");
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(16L << 20);
        }
        assumeTrue(run("mkfs.ext2", "-q", "-F", image.toString()) == 0, "mkfs.ext2 failed or is not installed");
        Path mount = mount("ext2", "mount", "-o", "loop", "-t", "ext2", image.toString());
        checkRefusesOwnersAndServesWorkers(mount, "ext2");
    }

    private void checkRefusesOwnersAndServesWorkers(Path mount, String type) throws IOException {
        Path path = mount.resolve("store.pf");
        Throwable created = catchThrowable(() -> Store.create(path, 64L << 20));
        assertThat(created).isExactlyInstanceOf(UnsupportedFileSystemException.class);
        UnsupportedFileSystemException e = (UnsupportedFileSystemException) created;
        assertThat(e.fileSystemType()).isEqualTo(type);
        assertThat(e.missingCall()).isEqualTo("fallocate");
        assertThat(e.getMessage()).contains(path.toString()).contains("(" + type + " mounted at " + mount.toRealPath() + ")")
                .contains("does not support fallocate").contains("SIGBUS");
        assertThat(Files.exists(path)).as("nothing left behind").isFalse();

        // a store made elsewhere, copied there: an owner is refused at open, before it writes anything
        Path elsewhere = dir.resolve("elsewhere.pf");
        long object;
        try (Store store = Store.create(elsewhere, 1 << 20)) {
            object = store.allocate(8);
            store.payload(object).set(ValueLayout.JAVA_LONG, 0, 42);
        }
        Files.copy(elsewhere, path);
        byte[] before = Files.readAllBytes(path);
        assertThat(catchThrowable(() -> Store.open(path, OpenMode.OWNER))).isExactlyInstanceOf(UnsupportedFileSystemException.class)
                .hasMessageContaining("does not support fallocate");
        assertThat(Files.readAllBytes(path)).as("the refused owner changed nothing").isEqualTo(before);
        for (OpenMode mode : new OpenMode[] {OpenMode.READ_ONLY, OpenMode.COPY_ON_WRITE}) {
            try (Store store = Store.open(path, mode)) {
                assertThat(store.payload(object).get(ValueLayout.JAVA_LONG, 0)).as(mode.toString()).isEqualTo(42);
            }
        }
    }
}
