"""The report's fonts, shipped with the package (data only; read by `generator.render.fonts`).

Liberation Sans and Liberation Serif 2.1.5 (metric-compatible with Arial and Times New Roman),
under the SIL Open Font License 1.1: see LICENSE beside them. They are loaded by `@font-face`
under lakip's own family names, so a PDF looks the same on every machine whatever fonts the
machine has installed (issue 12, DESIGN §7 "The archive")."""
