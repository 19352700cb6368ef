/** Hot-plugging into a running server: interfaces (ports) and volume attachments. */
package dev.kiln.compute.attach;
