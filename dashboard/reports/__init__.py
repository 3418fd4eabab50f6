"""Documents built from the view objects: .docx, .xlsx, .pptx (see model.py)."""
