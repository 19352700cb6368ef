/**
 * Kiln's in-instance agent: what os-collect-config, os-refresh-config's heat-config step, the
 * heat-config hooks and heat-config-notify do inside a real guest, run for each simulated
 * server.
 *
 * <p>An agent reads its settings from the server's user_data ({@link GuestBootstrap}), polls
 * metadata over HTTP ({@link HeatCollector}, {@link RequestCollector}), runs each new software
 * deployment with the hook of its group ({@link ConfigHook}, {@link ScriptHook}) in a sandbox
 * directory of its own ({@link Sandbox}), and signals the outcome back ({@link DeploymentSignals}).
 * {@link GuestAgents} starts and stops agents as servers become ACTIVE and are deleted.
 *
 * <p>Like a real guest, this package is a client of Kiln's public HTTP APIs only: it never calls
 * a service's Java interface (ArchitectureTest checks that), so it works the same against any
 * OpenStack cloud.
 */
package dev.kiln.guest;
