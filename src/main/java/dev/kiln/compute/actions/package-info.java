/** Actions on a running server in place: power, pause, suspend, reboot, lock, rebuild. */
package dev.kiln.compute.actions;
