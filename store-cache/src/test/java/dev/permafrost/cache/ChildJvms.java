package dev.permafrost.cache;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of a worker JVM running a main class of these tests, as surefire runs them (module or class path). */
final class ChildJvms {
    private ChildJvms() {
    }

    static List<String> javaCommand(Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED,dev.permafrost.core");
        command.add("-Xmx64m");
        command.add("-XX:TieredStopAtLevel=1");
        String modulePath = System.getProperty("jdk.module.path");
        if (modulePath != null && main.getModule().isNamed()) {
            String testClasses;
            try {
                testClasses = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
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
}
