/**
 * The fleet demo behind {@code scripts/demo}: {@link dev.permafrost.demo.DemoMain} builds a
 * store, runs workers ({@link dev.permafrost.demo.DemoWorker}) on it mortal and frozen, and
 * prints the kernel's accounting; {@link dev.permafrost.demo.DemoData} holds every detail of
 * the demo's objects.
 *
 * <p>Thread rules: single-threaded master; one worker per process. Not part of the API.
 */
package dev.permafrost.demo;
