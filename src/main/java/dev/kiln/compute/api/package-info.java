/**
 * The Nova REST API: one class per collection, translating HTTP, JSON and microversions to calls
 * on {@link dev.kiln.compute.ComputeService} and {@link dev.kiln.compute.ServerServices}.
 */
package dev.kiln.compute.api;
