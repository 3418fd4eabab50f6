"""Getting data in: templates, file reading, validation, dry run and import.

The flow is always ``read_file`` → ``validate`` (a dry run: nothing written)
→ ``apply`` (every valid row in one transaction, or nothing).
"""
