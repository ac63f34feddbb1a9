"""The screens of the terminal app: thin, they call the domain and show its answers."""
