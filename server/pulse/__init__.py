"""The psychological-safety pulse: seven statements, answered anonymously, shown only
as the group's total when at least k people answered (docs/anonymity.md)."""
