"""Starting the server: ``streamlit run`` with heavy imports preloaded, and the start-up warm-up."""
