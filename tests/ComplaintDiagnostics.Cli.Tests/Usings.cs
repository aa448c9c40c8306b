global using ComplaintDiagnostics.Testing;
