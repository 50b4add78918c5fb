"""What every app uses. Imports no app (enforced by import-linter in `make lint`)."""
