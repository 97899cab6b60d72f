"""The constraint model: what to place (items), where it may go (slots), the rules and goals."""
