/**
 * The quota engine the services share: limits resolved from defaults and set values, usage checked
 * against them under the owner's row lock, and refusals worded in each service's own way ({@link
 * dev.kiln.quota.QuotaStyle}). A service keeps its own tables and says what it counts; the engine
 * knows no service.
 */
package dev.kiln.quota;
