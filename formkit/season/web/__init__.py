"""The pages of ``formkit serve``: a Flask app over the season store."""
