/**
 * Build checks of the architecture: which package and which module may use which
 * ({@link dev.permafrost.architecture.ArchitectureTest}, ArchUnit over every module's main
 * classes).
 */
package dev.permafrost.architecture;
