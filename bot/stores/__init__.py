"""The features' ports implemented on ``storage``: one module per feature, one short transaction
per call. The only place in ``bot`` besides the composition root and the workers that touches
the database.
"""
