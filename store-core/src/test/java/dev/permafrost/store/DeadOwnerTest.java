package dev.permafrost.store;

import static dev.permafrost.store.StoreFiles.assertRefusedUnchanged;
import static org.assertj.core.api.Assertions.assertThat;

import dev.permafrost.error.PermafrostException;
import dev.permafrost.error.StoreLockedException;
import dev.permafrost.error.StoreNotCleanException;
import dev.permafrost.layout.CommitSlotDescriptor;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store whose owner process died: a real child JVM creates it and halts without closing it. */
class DeadOwnerTest {
    @TempDir
    Path dir;

    /** The command that runs {@code main} in a fresh JVM with this JVM's modules or class path. */
    static List<String> javaCommand(Class<?> main, String... args) throws URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED,dev.permafrost.core");
        command.add("-Xmx64m");
        command.add("-XX:TieredStopAtLevel=1");
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && main.getModule().isNamed()) {
            // as surefire runs this test: the module, with the test classes patched into it
            String testClasses = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            command.add("--module-path");
            command.add(modulePath);
            command.add("--patch-module");
            command.add(main.getModule().getName() + "=" + testClasses);
            command.add("--module");
            command.add(main.getModule().getName() + "/" + main.getName());
        } else {
            command.add("-cp");
            command.add(modulePath == null ? System.getProperty("java.class.path")
                    : modulePath + File.pathSeparator + System.getProperty("java.class.path"));
            command.add(main.getName());
        }
        command.addAll(List.of(args));
        return command;
    }

    @Test
    void aStoreWhoseOwnerDiedIsNotCleanAndNamesItsLastGeneration() throws Exception {
        Path path = dir.resolve("orphan.pf");
        Process owner = new ProcessBuilder(javaCommand(DyingOwner.class, path.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo(DyingOwner.READY);

            // alive, it holds the lock: nobody else gets in, and nothing is changed
            for (OpenMode mode : OpenMode.values()) {
                StoreLockedException e = assertRefusedUnchanged(path, StoreLockedException.class, PermafrostException.NO_OFFSET,
                        () -> Store.open(path, mode));
                assertThat(e.getMessage()).as(mode.toString()).doesNotContain("this process")
                        .contains(mode == OpenMode.OWNER ? "another process" : "its owner has the store open");
            }

            try (OutputStream in = owner.getOutputStream()) {
                in.write('\n');
            }
            assertThat(owner.waitFor(60, TimeUnit.SECONDS)).as("the owner halts").isTrue();
            assertThat(owner.exitValue()).isEqualTo(DyingOwner.EXIT_CODE);

            // dead, its lock is gone but its dirty mark stays: every opener is told, nothing is changed
            for (OpenMode mode : OpenMode.values()) {
                StoreNotCleanException e = assertRefusedUnchanged(path, StoreNotCleanException.class,
                        CommitSlotDescriptor.slotOffset(2), () -> Store.open(path, mode));
                assertThat(e.getMessage()).contains("not closed cleanly").contains("generation 2");
            }
        } finally {
            owner.destroyForcibly();
            owner.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
