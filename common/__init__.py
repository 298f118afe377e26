"""What the apps share that belongs to none of them: checked arguments for management commands.
The bottom layer of the import contract: it imports no app and nothing of the project."""
